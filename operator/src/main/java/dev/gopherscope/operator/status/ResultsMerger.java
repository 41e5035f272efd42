package dev.gopherscope.operator.status;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.ArtifactState;
import dev.gopherscope.api.v1alpha1.HeapGrowthSummary;
import dev.gopherscope.api.v1alpha1.LeakSuspect;
import dev.gopherscope.api.v1alpha1.ProfilingRateSummary;
import dev.gopherscope.api.v1alpha1.RuntimeHealthResult;
import dev.gopherscope.api.v1alpha1.SessionResults;
import dev.gopherscope.api.v1alpha1.StackGroupSummary;
import dev.gopherscope.api.v1alpha1.TraceStackSummary;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.operator.credentials.ObjectStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the full reports of several targets into the status's bounded results and artifact list:
 * top-N by size, strings cut to the schema's limits, the rest left to the artifacts.
 */
public final class ResultsMerger {

  /** Seven, not more: with every capture kind's summary the largest status must stay under 512 KiB. */
  static final int TOP_GROUPS = 7;
  static final int TRACES = 8;
  static final int LEAKS = 5;
  static final int GROWERS = 5;
  static final int GROWER_FRAMES = 3;
  static final int RATES = 4;
  static final int ARTIFACTS = 32;
  static final int FRAMES = 5;

  private ResultsMerger() {
  }

  public static SessionResults results(List<SidecarReport> reports) {
    long goroutines = 0;
    long matched = 0;
    List<StackGroupSummary> groups = new ArrayList<>();
    Map<String, TraceStackSummary> traces = new LinkedHashMap<>();
    List<LeakSuspect> leaks = new ArrayList<>();
    List<HeapGrowthSummary> growers = new ArrayList<>();
    List<ProfilingRateSummary> rates = new ArrayList<>();
    for (SidecarReport report : reports) {
      // Captures of one target see the same process: count its largest snapshot once per target.
      goroutines += nullSafe(report.captures()).stream()
          .mapToLong(c -> c.goroutines() == null ? 0 : c.goroutines()).max().orElse(0);
      matched += nullSafe(report.captures()).stream()
          .mapToLong(c -> c.matchedGoroutines() == null ? 0 : c.matchedGoroutines()).max().orElse(0);
      for (SidecarReport.CaptureOutcome capture : nullSafe(report.captures())) {
        for (SidecarReport.StackGroup g : nullSafe(capture.topGroups())) {
          StackGroupSummary summary = new StackGroupSummary();
          summary.setCount(g.count());
          summary.setPod(report.pod());
          summary.setFrames(frames(g.frames()));
          summary.setLabels(labels(g.labels()));
          groups.add(summary);
        }
        for (SidecarReport.TraceStacks t : nullSafe(capture.traceStacks())) {
          TraceStackSummary summary = traces.computeIfAbsent(t.traceId(), id -> {
            TraceStackSummary s = new TraceStackSummary();
            s.setTraceId(id);
            s.setGoroutines(0);
            s.setBlocked(0);
            s.setPods(0);
            s.setTopFrames(new ArrayList<>());
            return s;
          });
          summary.setGoroutines(summary.getGoroutines() + t.goroutines());
          summary.setBlocked(summary.getBlocked() + t.blocked());
          summary.setPods(summary.getPods() + 1);
          for (String frame : frames(t.topFrames())) {
            if (summary.getTopFrames().size() < FRAMES && !summary.getTopFrames().contains(frame)) {
              summary.getTopFrames().add(frame);
            }
          }
        }
        for (SidecarReport.LeakSuspect l : nullSafe(capture.leakSuspects())) {
          LeakSuspect suspect = new LeakSuspect();
          suspect.setPod(report.pod());
          suspect.setFrames(frames(l.frames()));
          suspect.setCounts(l.counts().subList(0, Math.min(60, l.counts().size())));
          suspect.setMethod(cut(l.method(), 16));
          if (l.labels() != null && !l.labels().isEmpty()) {
            suspect.setLabels(bounded(l.labels(), 2, 32, 64));
          }
          leaks.add(suspect);
        }
        for (SidecarReport.HeapGrowth g : nullSafe(capture.heapGrowth())) {
          HeapGrowthSummary grower = new HeapGrowthSummary();
          grower.setPod(report.pod());
          grower.setFrames(frames(g.frames()).stream().limit(GROWER_FRAMES).toList());
          grower.setBytes(g.bytes());
          grower.setObjects(g.objects());
          growers.add(grower);
        }
        if (capture.rateSwitch() != null && rates.size() < RATES) {
          SidecarReport.RateSwitch r = capture.rateSwitch();
          ProfilingRateSummary rate = new ProfilingRateSummary();
          rate.setPod(report.pod());
          rate.setVariable(cut(r.variable(), 32));
          rate.setRate(r.set());
          rate.setPrevious(r.previous());
          rate.setRestored(r.restored());
          rate.setRestoredBy(cut(r.restoredBy(), 32));
          rates.add(rate);
        }
      }
    }
    SessionResults results = new SessionResults();
    results.setGoroutines(goroutines);
    results.setMatchedGoroutines(matched);
    groups.sort(Comparator.comparingLong(StackGroupSummary::getCount).reversed());
    results.setTopGroups(groups.subList(0, Math.min(TOP_GROUPS, groups.size())));
    List<TraceStackSummary> traceList = new ArrayList<>(traces.values());
    traceList.sort(Comparator.comparingInt(TraceStackSummary::getGoroutines).reversed());
    results.setTraceStacks(traceList.subList(0, Math.min(TRACES, traceList.size())));
    // Proven leaks first: the garbage collector's word outweighs any trend.
    leaks.sort(Comparator.comparing((LeakSuspect l) -> !SidecarReport.LEAK_PROVEN.equals(l.getMethod()))
        .thenComparing(Comparator.comparingLong((LeakSuspect l) -> weight(l)).reversed()));
    results.setLeakSuspects(leaks.subList(0, Math.min(LEAKS, leaks.size())));
    results.setExecutionTrace(RuntimeResultsMerger.executionTrace(reports));
    List<RuntimeHealthResult> health = RuntimeResultsMerger.runtimeHealth(reports);
    results.setRuntimeHealth(health.isEmpty() ? null : health);
    growers.sort(Comparator.comparingLong(HeapGrowthSummary::getBytes).reversed());
    if (!growers.isEmpty()) {
      results.setHeapGrowth(growers.subList(0, Math.min(GROWERS, growers.size())));
    }
    if (!rates.isEmpty()) {
      results.setProfilingRates(rates);
    }
    return results;
  }

  /** Every artifact of every report, uploaded ones first, at most {@link #ARTIFACTS}. */
  public static List<Artifact> artifacts(List<SidecarReport> reports, String bucket, String keyPrefix) {
    List<Artifact> all = new ArrayList<>();
    for (SidecarReport report : reports) {
      for (SidecarReport.ArtifactRecord record : nullSafe(report.artifacts())) {
        Artifact artifact = new Artifact();
        artifact.setName(cut(record.name(), 128));
        artifact.setKind(cut(record.kind(), 32));
        artifact.setPod(report.pod());
        artifact.setUri(cut(ObjectStore.uri(bucket, keyPrefix + report.pod() + "/" + record.name()), 512));
        artifact.setBytes(record.bytes());
        artifact.setSha256(record.sha256());
        artifact.setState(ArtifactState.valueOf(record.state()));
        artifact.setMessage(cut(record.message(), 256));
        all.add(artifact);
      }
    }
    all.sort(Comparator.comparing((Artifact a) -> a.getState() != ArtifactState.Uploaded));
    return all;
  }

  /** A proven leak weighs its goroutines; a suspect from growth, how much it grew. */
  private static long weight(LeakSuspect l) {
    List<Long> counts = l.getCounts();
    if (counts.isEmpty()) {
      return 0;
    }
    return SidecarReport.LEAK_PROVEN.equals(l.getMethod()) ? counts.get(0)
        : counts.get(counts.size() - 1) - counts.get(0);
  }

  private static List<String> frames(List<String> frames) {
    return nullSafe(frames).stream().limit(FRAMES).map(f -> cut(f, 256)).toList();
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    return bounded(labels, 4, 128, 256);
  }

  private static Map<String, String> bounded(Map<String, String> labels, int entries, int keyLength, int valueLength) {
    Map<String, String> bounded = new LinkedHashMap<>();
    if (labels != null) {
      labels.entrySet().stream().limit(entries)
          .forEach(e -> bounded.put(cut(e.getKey(), keyLength), cut(e.getValue(), valueLength)));
    }
    return bounded;
  }

  static String cut(String value, int max) {
    return SidecarReport.cut(value, max);
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
