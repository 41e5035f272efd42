package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.contract.SidecarReport.Pauses;
import dev.gopherscope.contract.SidecarReport.RuntimeHealthSummary;
import dev.gopherscope.sidecar.pprof.MemStats;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprofhttp.PprofHttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code RuntimeHealth} capture: how the Go runtime fared over an interval, from the cheapest
 * source that gives each figure truly, none of which halts the target:
 *
 * <ul>
 *   <li>GC cycles, their rate, each cycle's stop-the-world pause (p50/p99/max), heap in use and the
 *       heap goal: {@code runtime.MemStats} at both ends of the interval, from the heap profile's
 *       text ({@code heap?debug=1}). Reading it stops the world for microseconds, twice. The pauses
 *       are exact: {@code PauseNs} records every cycle's (the newest 256).
 *   <li>Goroutines: the sum of the goroutine profile ({@code goroutine?debug=0}) at the end.
 *   <li>GOMAXPROCS and scheduler latency: only the scheduler's own records give them without a
 *       halt, so a 1 s execution trace at the end of the interval, read by {@link TraceSummaryTool}.
 *       Without the helper they are left out and the sources say so.
 * </ul>
 */
public final class RuntimeHealthCapture implements Capture {

  static final Duration SCHEDULER_SAMPLE = Duration.ofSeconds(1);
  /** A 1 s trace; more is refused (a runaway service should not fill the spool for one figure). */
  static final long MAX_SAMPLE_BYTES = 64L * 1024 * 1024;

  private final CapturePlan plan;

  public RuntimeHealthCapture(CapturePlan plan) {
    this.plan = plan;
  }

  @Override
  public CaptureOutcome run(CaptureContext context) {
    PprofHttpClient pprof = context.requirePprof();
    Duration interval = TimedCapture.fit(plan, context, "a runtime health interval");
    String note = TimedCapture.shortenedNote(plan, interval);
    MemStats start = pprof.heapText(MemStats::read);
    Instant began = context.clock().instant();
    context.progress().accept("measuring the runtime's health for " + interval.toSeconds() + " s");
    sleep(interval);
    MemStats end = pprof.heapText(MemStats::read);
    Duration measured = Duration.between(began, context.clock().instant());
    PprofProfile goroutineProfile = pprof.goroutines();
    long goroutines = 0;
    for (int s = 0; s < goroutineProfile.samples().size(); s++) {
      goroutines += goroutineProfile.samples().value(s, 0);
    }

    long cycles = end.numGc() - start.numGc();
    long[] pauses = end.pausesSince(start);
    StringBuilder sources = new StringBuilder("GC cycles, pauses and heap: runtime.MemStats (heap?debug=1) at both "
        + "ends");
    if (cycles > MemStats.PAUSE_RING) {
      sources.append(" (pauses: the newest ").append(MemStats.PAUSE_RING).append(" of ").append(cycles)
          .append(" cycles)");
    }
    sources.append("; goroutines: goroutine profile at the end");
    TraceFigures scheduler = schedulerSample(pprof, context, sources);
    Long gomaxprocs = scheduler == null || scheduler.gomaxprocs() == 0 ? null : scheduler.gomaxprocs();
    double perMinute = cycles * 60_000.0 / Math.max(1, measured.toMillis());
    RuntimeHealthSummary summary = new RuntimeHealthSummary(measured.toMillis(), cycles, round(perMinute),
        pauses(pauses), end.heapInuse(), end.nextGc(), goroutines, gomaxprocs,
        gomaxprocs == null ? null : round((double) goroutines / gomaxprocs),
        scheduler == null ? null : scheduler.schedLatency().toPauses(), sources.toString());

    Map<String, Object> document = new LinkedHashMap<>();
    document.put("summary", summary);
    document.put("gcPausesNs", pauses);
    document.put("memStatsStart", Map.of("numGC", start.numGc(), "heapInuse", start.heapInuse(), "nextGC",
        start.nextGc()));
    document.put("memStatsEnd", Map.of("numGC", end.numGc(), "heapInuse", end.heapInuse(), "nextGC", end.nextGc()));
    document.put("schedulerSample", scheduler);
    context.artifacts().writeJson(SessionPlanner.RUNTIME_HEALTH, document);
    return OutcomeBuilder.of(plan).message(note + message(summary)).runtimeHealth(summary).build();
  }

  /** GOMAXPROCS and the scheduler's latency from a short trace, or null (and why, in sources). */
  private static TraceFigures schedulerSample(PprofHttpClient pprof, CaptureContext context, StringBuilder sources) {
    if (context.traceSummary().isEmpty()) {
      sources.append("; GOMAXPROCS and scheduler latency: not measured (" + TraceSummaryTool.NAME
          + " is neither beside dlv nor on the PATH)");
      return null;
    }
    Path sample = null;
    try {
      sample = Files.createTempFile(context.artifacts().spoolDir(), ".scheduler-sample", ".trace");
      Path file = sample;
      try (var out = Files.newOutputStream(file)) {
        pprof.trace(SCHEDULER_SAMPLE, out, MAX_SAMPLE_BYTES);
      }
      TraceFigures figures = context.traceSummary().get().summarize(file, List.of(), 0, List.of());
      sources.append("; GOMAXPROCS and scheduler latency: a ").append(SCHEDULER_SAMPLE.toSeconds())
          .append(" s execution trace at the end");
      return figures;
    } catch (java.io.IOException e) {
      throw new CaptureException("cannot spool the scheduler's 1 s trace: " + e.getMessage(), e);
    } finally {
      if (sample != null) {
        try {
          Files.deleteIfExists(sample);
        } catch (java.io.IOException e) {
          // a hidden file in the spool, removed with it
        }
      }
    }
  }

  static Pauses pauses(long[] pausesNs) {
    if (pausesNs.length == 0) {
      return new Pauses(0, 0, 0, 0, 0);
    }
    long[] sorted = pausesNs.clone();
    Arrays.sort(sorted);
    return new Pauses(sorted.length, Arrays.stream(sorted).sum() / 1000, sorted[sorted.length - 1] / 1000,
        nearestRank(sorted, 50) / 1000, nearestRank(sorted, 99) / 1000);
  }

  private static long nearestRank(long[] sorted, int percentile) {
    int rank = Math.max(1, (percentile * sorted.length + 99) / 100);
    return sorted[rank - 1];
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void sleep(Duration interval) {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CaptureException("interrupted during the runtime health interval", e);
    }
  }

  private static String message(RuntimeHealthSummary s) {
    StringBuilder m = new StringBuilder(String.format(Locale.ROOT,
        "%d GC cycles in %.1f s (%.1f/min), GC pause p50 %d µs p99 %d µs max %d µs; heap in use %.1f MiB of a %.1f MiB "
            + "goal; %d goroutines",
        s.gcCycles(), s.intervalMs() / 1000.0, s.gcPerMinute(), s.gcPauses().p50Us(), s.gcPauses().p99Us(),
        s.gcPauses().maxUs(), s.heapInuseBytes() / 1048576.0, s.heapGoalBytes() / 1048576.0, s.goroutines()));
    if (s.gomaxprocs() != null) {
      m.append(String.format(Locale.ROOT, " on GOMAXPROCS %d (%.1f each); scheduler latency p99 %d µs",
          s.gomaxprocs(), s.goroutinesPerProc(), s.schedulerLatency().p99Us()));
    }
    return m.toString();
  }
}
