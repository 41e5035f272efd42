package dev.gopherscope.bench;

import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.app.SidecarMain;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.PrivateGuard;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the captures of issue 14's items 2, 4 and 5 cost the target: the real sidecar code
 * ({@code SidecarMain capture}, in this JVM) against a fresh demo per capture, under the
 * capture's own workload, with a probe of {@code /work/cpu?ms=1} requests running throughout.
 * Each capture is compared with an equally long window just before it on the same demo: the
 * demo's heartbeat stall (its longest gap between 10 ms ticks) and the probe's p50/p99.
 */
final class CaptureCostBench {

  static final String SECTION = "9. Capture cost to the target: contention profiling switched on, heap growth, "
      + "goroutine leaks";
  private static final String COMMAND = "make bench BENCH=capture-cost";

  private CaptureCostBench() {
  }

  /** One capture to measure: its session's captures, the demo it runs on, the load that gives it data. */
  private record Case(String name, String captures, Supplier<GoDemoProcess> demo, String load, long windowMs) {
  }

  static void run(BenchResults results, Path repo) throws Exception {
    results.note(SECTION, "Each row: a fresh demo service with 1,000 idle goroutines, the capture's workload running "
        + "(lock traffic for Mutex, /work/retain?kb=64 for Heap, /work/leak?n=10 for GoroutineLeaks) and a probe of "
        + "sequential /work/cpu?ms=1 requests. First a window as long as the capture without it, then the capture "
        + "(the real sidecar code in the benchmark's warm JVM, dlv with its guard where the capture needs it). "
        + "**Halt** is what the capture's report says it halted the target (Delve's two Set calls for a rate switched "
        + "on; the attach, once per session, is shown beside it); **stall** is the demo's heartbeat, which sees halts, "
        + "stop-the-world pauses and CPU starvation alike, so for a capture that attaches dlv it includes the attach. "
        + "A halt that overruns its share of the pause budget has the watchdog kill dlv, and dlv-guard then puts the "
        + "rate back: the status says which happened.");
    List<Case> cases = List.of(
        new Case("Mutex, fraction 1 switched on for 5 s", "- {kind: Mutex, mutexProfileFraction: 1, duration: 5s}",
            () -> GoDemoProcess.start(1000, "-contention-profiling=false"), "/work/lock?ms=2", 5_000),
        new Case("Block, 10 µs rate switched on for 5 s", "- {kind: Block, blockProfileRate: 10000, duration: 5s}",
            () -> GoDemoProcess.start(1000, "-contention-profiling=false"), "/work/lock?ms=2", 5_000),
        new Case("Heap, 3 snapshots 2 s apart", "- {kind: Heap, every: 2s, count: 3}",
            () -> GoDemoProcess.start(1000), "/work/retain?kb=64", 4_000),
        new Case("GoroutineLeaks, proven (goroutineleak profile)", "- {kind: GoroutineLeaks}",
            () -> GoDemoProcess.startWithLeakProfile(1000), "/work/leak?n=10", 1_000),
        new Case("GoroutineLeaks, growth (3 snapshots 2 s apart)", "- {kind: GoroutineLeaks, every: 2s, count: 3}",
            () -> GoDemoProcess.start(1000), "/work/leak?n=10", 4_000));
    for (Case c : cases) {
      try {
        measure(results, c);
      } catch (Exception e) {
        e.printStackTrace();
        results.note(SECTION, "**" + c.name() + ": not measured in this run** (" + e + ").");
      }
    }
  }

  private static void measure(BenchResults results, Case c) throws Exception {
    try (DemoService app = DemoService.of(c.demo().get());
        LatencyProbe load = LatencyProbe.start(app, c.load());
        LatencyProbe probe = LatencyProbe.start(app, "/work/cpu?ms=1")) {
      Thread.sleep(500);
      Heartbeat before = app.heartbeat();
      long baselineFrom = System.nanoTime();
      Thread.sleep(c.windowMs());
      long baselineTo = System.nanoTime();
      Heartbeat between = app.heartbeat();
      long captureFrom = System.nanoTime();
      SidecarReport report = capture(app, c.captures());
      CaptureOutcome outcome = report.captures().get(0);
      long captureTo = System.nanoTime();
      Heartbeat after = app.heartbeat();
      Heartbeat.Gap baselineStall = Heartbeat.between(before, between);
      Heartbeat.Gap captureStall = Heartbeat.between(between, after);
      List<Double> baseline = probe.between(baselineFrom, baselineTo);
      List<Double> during = probe.between(captureFrom, captureTo);
      String took = String.format(Locale.ROOT, "capture took %.1f s%s; %s", (captureTo - captureFrom) / 1e9,
          report.attachPausedMs() == null ? "" : ", attaching dlv paused the target " + report.attachPausedMs()
              + " ms more", outcome.ok() ? "ok" : "FAILED: " + outcome.message());
      results.add(new BenchResults.Figure(SECTION, c.name() + ": target halt", outcome.pausedMs(), "ms", null, null,
          took, COMMAND));
      results.add(new BenchResults.Figure(SECTION, c.name() + ": longest stall (heartbeat)", captureStall.ms(), "ms",
          null, null, (captureStall.exact() ? "" : "upper bound; ") + "same window before the capture: "
              + baselineStall.describe(), COMMAND));
      results.add(new BenchResults.Figure(SECTION, c.name() + ": request p99 during the capture",
          round(LatencyProbe.percentile(during, 99)), "ms", null, null, String.format(Locale.ROOT,
              "p50 %.2f ms (%d requests); before it p50 %.2f / p99 %.2f ms (%d requests)",
              LatencyProbe.percentile(during, 50), during.size(), LatencyProbe.percentile(baseline, 50),
              LatencyProbe.percentile(baseline, 99), baseline.size()), COMMAND));
    }
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }

  /** Runs the sidecar's local mode on the demo with {@code captures}; its report. */
  private static SidecarReport capture(DemoService app, String captures) throws Exception {
    Path dir = Files.createTempDirectory(TestEnvironment.scratchDir("capture-cost"), "run");
    Path session = dir.resolve("session.yaml");
    // The attach is not what is measured (its pause is reported beside the capture's), and on a
    // busy machine it can overrun the default 3 s budget.
    Files.writeString(session, "spec:\n  pprof: {port: " + app.pprofPort() + "}\n  captures:\n    " + captures
        + "\n  attachPauseBudget: 10s\n  timeout: 120s\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = SidecarMain.run(new String[] {"capture", "--pid", String.valueOf(app.pid()), "-f", session.toString(),
        "--out", dir.resolve("out").toString(), "--dlv", PrivateGuard.dlv().toString()}, Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    Path report = dir.resolve("out/report.json");
    if (exit != 0 && !Files.exists(report)) {
      throw new IllegalStateException("the sidecar exited " + exit + ": " + out.toString(StandardCharsets.UTF_8));
    }
    // A failed capture still has its report, whose message the figure shows.
    return ContractJson.mapper().readValue(dir.resolve("out/report.json").toFile(), SidecarReport.class);
  }
}
