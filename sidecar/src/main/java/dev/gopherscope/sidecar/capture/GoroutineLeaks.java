package dev.gopherscope.sidecar.capture;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.pprof.LeakSuspects;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.SampleFilter;
import dev.gopherscope.sidecar.pprof.StackFrame;
import dev.gopherscope.sidecar.pprof.StackGroups;
import dev.gopherscope.sidecar.pprofhttp.PprofHttpClient;
import dev.gopherscope.sidecar.pprofhttp.ProfileNotServedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code GoroutineLeaks} capture, never halting the target. Where the app serves Go's
 * goroutine leak profile ({@code /debug/pprof/goroutineleak}: Go 1.26 built with
 * {@code GOEXPERIMENT=goroutineleakprofile}, planned as the default in Go 1.27), the garbage
 * collector proves the leaks: goroutines blocked on a channel, lock or wait group that nothing
 * reachable can ever wake. They are grouped by stack, each group with the pprof labels all its
 * goroutines share and a few of their label sets, and the profile is kept as
 * {@code goroutineleak.pb.gz}. Where it does not, {@code count} goroutine snapshots {@code every}
 * apart give the groups that grew in each ({@link LeakSuspects}): a trend, not a proof. Each
 * suspect says which method found it; {@code goroutine-leaks.json} holds them all.
 */
public final class GoroutineLeaks implements Capture {

  static final int MAX_LEAKS = 50;
  static final int MAX_LABEL_SETS = 5;
  static final int STACK_DEPTH = 64;
  static final int SUMMARY_FRAMES = 10;
  static final int STATUS_SUSPECTS = 5;

  private final CapturePlan plan;

  public GoroutineLeaks(CapturePlan plan) {
    this.plan = plan;
  }

  /** {@code goroutine-leaks.json}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Document(String pod, String method, String why, String filter, long leakedGoroutines, List<Leak> leaks,
      int moreLeaks) {
  }

  /**
   * Goroutines with one stack that leaked.
   *
   * @param counts the proven count, or the group's size in each snapshot
   * @param labels the pprof labels every goroutine of the group has (proven leaks only)
   * @param labelSets a few of the groups' full label sets
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Leak(List<Long> counts, List<StackFrame> frames, Map<String, String> labels,
      List<Map<String, String>> labelSets) {

    long size() {
      return counts.get(counts.size() - 1);
    }
  }

  @Override
  public CaptureOutcome run(CaptureContext context) {
    PprofHttpClient pprof = context.requirePprof();
    PprofProfile leakProfile;
    try {
      leakProfile = pprof.goroutineLeaks();
    } catch (ProfileNotServedException e) {
      return byGrowth(context, e.getMessage());
    }
    return proven(context, leakProfile);
  }

  private CaptureOutcome proven(CaptureContext context, PprofProfile all) {
    PprofProfile profile = context.redactor().profile(new SampleFilter(context.filter()).apply(all));
    context.artifacts().writeProfile(SessionPlanner.LEAKS_PROFILE, profile);
    ProfileFrames frames = new ProfileFrames(profile);
    Map<List<StackFrame>, Group> groups = new LinkedHashMap<>();
    for (int s = 0; s < profile.samples().size(); s++) {
      groups.computeIfAbsent(frames.stack(s, STACK_DEPTH), k -> new Group())
          .add(profile.samples().value(s, 0), frames.labels(s));
    }
    List<Leak> leaks = new ArrayList<>();
    groups.forEach((stack, group) -> leaks.add(new Leak(List.of(group.count), stack,
        group.common == null ? Map.of() : group.common, group.labelSets)));
    leaks.sort(Comparator.comparingLong(Leak::size).reversed());
    long leaked = profile.total(0);
    String why = "proven by the garbage collector: Go's goroutineleak profile lists goroutines blocked on what nothing "
        + "reachable can ever wake";
    write(context, SidecarReport.LEAK_PROVEN, why, leaked, leaks);
    String message = String.format(Locale.ROOT, "%s: %,d goroutine(s) leaked in %d stack(s)%s", why, leaked,
        leaks.size(), leaks.isEmpty() ? "" : "; largest " + describe(leaks.get(0)));
    return outcome(leaks, SidecarReport.LEAK_PROVEN, message, leaked, all.total(0));
  }

  private CaptureOutcome byGrowth(CaptureContext context, String notServed) {
    PprofGoroutineSource source = new PprofGoroutineSource(GoroutineSnapshots.OPTIONS);
    Instant start = context.clock().instant();
    List<StackGroups> snapshots = new ArrayList<>();
    GoroutineSnapshot last = null;
    for (int k = 1; k <= Math.max(1, plan.count()); k++) {
      Instant due = start.plusMillis((k - 1) * plan.everyMs());
      if (due.isAfter(context.deadline())) {
        break;
      }
      GoroutineSnapshots.sleepUntil(context, due);
      last = source.take(context, Duration.ZERO);
      snapshots.add(last.groups());
      context.progress().accept(String.format(Locale.ROOT, "goroutine leaks: snapshot %d/%d, %,d goroutines", k,
          plan.count(), last.goroutines()));
    }
    LeakSuspects suspects = LeakSuspects.find(snapshots, MAX_LEAKS);
    List<Leak> leaks = suspects.suspects().stream()
        .map(s -> new Leak(s.counts(), s.topFrames(), null, null)).toList();
    String why = notServed + ", so it cannot prove leaks (Go 1.26 needs GOEXPERIMENT=goroutineleakprofile): "
        + "suspects are the stack groups that grew in each of " + snapshots.size() + " snapshots " + plan.everyMs()
        + " ms apart" + (snapshots.size() < LeakSuspects.MIN_SNAPSHOTS ? " (too few for a trend: "
        + LeakSuspects.MIN_SNAPSHOTS + " are needed)" : "");
    long growth = suspects.suspects().stream().mapToLong(LeakSuspects.Suspect::growth).sum();
    write(context, SidecarReport.LEAK_GROWTH, why, growth, leaks);
    String message = String.format(Locale.ROOT, "%s: %d group(s) grew by %,d goroutine(s)%s", why, leaks.size(),
        growth, leaks.isEmpty() ? "" : "; largest " + describe(leaks.get(0)));
    return outcome(leaks, SidecarReport.LEAK_GROWTH, message, last == null ? 0 : last.matched(),
        last == null ? 0 : last.goroutines());
  }

  private void write(CaptureContext context, String method, String why, long leaked, List<Leak> leaks) {
    context.artifacts().writeJson(SessionPlanner.LEAKS_REPORT, new Document(context.pod(), method, why,
        SessionFilter.describe(context.filter()), leaked, leaks.subList(0, Math.min(MAX_LEAKS, leaks.size())),
        Math.max(0, leaks.size() - MAX_LEAKS)));
  }

  private CaptureOutcome outcome(List<Leak> leaks, String method, String message, long matched, long goroutines) {
    return OutcomeBuilder.of(plan).goroutines(goroutines, matched).message(message)
        .leakSuspects(leaks.stream().limit(STATUS_SUSPECTS).map(l -> new SidecarReport.LeakSuspect(
            summaryFrames(l), l.counts(), method, l.labels())).toList())
        .build();
  }

  private static List<String> summaryFrames(Leak leak) {
    return BlockedFrames.withoutRuntimeTop(leak.frames().stream().map(StackFrame::function).toList()).stream()
        .limit(SUMMARY_FRAMES).toList();
  }

  private static String describe(Leak leak) {
    List<String> where = summaryFrames(leak);
    String labels = leak.labels() == null || leak.labels().isEmpty() ? "" : " " + leak.labels();
    return String.format(Locale.ROOT, "%,d in %s%s", leak.size(), where.isEmpty() ? "an empty stack" : where.get(0),
        labels);
  }

  /** The goroutines of one stack: how many, the labels all of them carry, and a few label sets. */
  private static final class Group {
    long count;
    Map<String, String> common;
    final List<Map<String, String>> labelSets = new ArrayList<>();

    void add(long goroutines, Map<String, String> labels) {
      count += goroutines;
      if (common == null) {
        common = new LinkedHashMap<>(labels);
      } else {
        common.entrySet().removeIf(e -> !e.getValue().equals(labels.get(e.getKey())));
      }
      if (labelSets.size() < MAX_LABEL_SETS && !labels.isEmpty() && !labelSets.contains(labels)) {
        labelSets.add(labels);
      }
    }
  }
}
