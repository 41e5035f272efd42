package dev.gopherscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Issue 14, items 1 and 3: what an ExecutionTrace and a RuntimeHealth capture cost the target. The
 * real sidecar (a fresh JVM with the image's flags, trace-summary beside dlv as in the image) runs
 * each capture against a freshly started demo with parked goroutines, a traced request in flight
 * and requests arriving back to back; the demo's request latency and its own heartbeat, during the
 * capture against an equal window just before, are the cost.
 */
final class RuntimeCaptureBench {

  static final String SECTION = "8. Runtime captures: what ExecutionTrace and RuntimeHealth cost the target";
  private static final int IDLE = 2_000;
  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final String LATENCY_PATH = "/work/cpu?ms=1";
  private static final String COMMAND = "make bench BENCH=runtime-captures";

  private RuntimeCaptureBench() {
  }

  static void run(BenchResults results, Path repo) throws Exception {
    Path work = repo.resolve("bench/target/runtime-captures");
    Files.createDirectories(work);
    Path dlv = TestEnvironment.get().dlv();
    if (!Files.isExecutable(dlv.resolveSibling("trace-summary"))) {
      throw new IllegalStateException(dlv.resolveSibling("trace-summary") + " is missing: run testenv/build-tools.sh");
    }
    measure(results, repo, work, dlv, "ExecutionTrace 5 s (filter: one traceparent)",
        "{kind: ExecutionTrace, duration: 5s}", "  filter: {traceparent: " + TRACEPARENT + "}\n", 5_000);
    measure(results, repo, work, dlv, "RuntimeHealth 10 s", "{kind: RuntimeHealth, duration: 10s}", "", 10_000);
    results.note(SECTION, "The demo service (examples/demo-service) runs with " + IDLE + " parked goroutines, one "
        + "request blocked in /work/block under a traceparent, and `" + LATENCY_PATH + "` requests back to back from "
        + "the benchmark (one connection). Each capture runs once, through the real sidecar (`SidecarMain capture`, "
        + "image JVM flags, a fresh JVM as in a pod, `--dlv` pointing at the dlv whose sibling trace-summary is the "
        + "image's), against a freshly started demo: its requests' latency and its heartbeat (a goroutine ticking "
        + "every 10 ms; its longest gap since start) are compared with an equal window just before the capture. The "
        + "capture's window includes the sidecar JVM's start, which competes for this machine's 2 cores as it "
        + "would on a 2-core node. ExecutionTrace with a filter also takes a goroutine profile and a goroutine dump "
        + "halfway (each stops the world briefly). RuntimeHealth reads runtime.MemStats twice (heap?debug=1), the "
        + "goroutine profile once and a 1 s execution trace at the end. A heartbeat gap is exact when it rose in "
        + "the window, else an upper bound (≤).");
  }

  /** trace-summary's own cost on that trace: it runs in the target pod, next to the sidecar. */
  private static BenchResults.Figure helperFootprint(String name, Path helper, Path trace) throws IOException {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(helper.toString(), trace.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (ProcessWatch watch = ProcessWatch.start(process.pid(), 2)) {
      if (process.waitFor() != 0) {
        throw new IllegalStateException("trace-summary failed on " + trace);
      }
      double ms = (System.nanoTime() - start) / 1e6;
      return new BenchResults.Figure(SECTION, name + ": trace-summary peak RSS reading it",
          Math.round(ProcessMemory.mebibytes(watch.peakRssBytes()) * 10) / 10.0, "MiB", null, null,
          "read in " + PauseBench.fmt(ms) + " ms (RSS sampled every 2 ms); it runs in the target pod, in its own "
              + "process, so the trace never enters the sidecar JVM's heap", COMMAND);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void measure(BenchResults results, Path repo, Path work, Path dlv, String name, String capture,
      String filter, long windowMs) throws IOException {
    Path session = work.resolve("session.yaml");
    Path out = PauseBench.fresh(work.resolve("out"));
    try (DemoService app = DemoService.start("gs-rt-bench", IDLE)) {
      Files.writeString(session, "apiVersion: gopherscope.dev/v1alpha1\nkind: DebugSession\n"
          + "metadata: {name: runtime-bench}\nspec:\n  target: {podName: local, container: app}\n"
          + "  pprof: {port: " + app.pprofPort() + "}\n" + filter + "  captures:\n    - " + capture + "\n");
      app.inFlight("/work/block?ms=600000", TRACEPARENT);
      PauseBench.sleep(1500);
      ProbedSidecarRun probed = ProbedSidecarRun.of(repo, app, LATENCY_PATH, windowMs, List.of("-f", session.toString(),
          "--out", out.toString(), "--dlv", dlv.toString()));
      try (LatencyProbe probe = probed.probe()) {
        SidecarJvm.Run run = probed.run();
        JsonNode outcome = SidecarJvm.firstCapture(out);
        if (run.exit() != 0 || !outcome.path("ok").asBoolean()) {
          throw new IllegalStateException(name + " failed: " + outcome.path("message").asText() + " " + run.stderr());
        }
        List<Double> before = probed.baseline();
        List<Double> during = probe.between(run.startNanos(), run.endNanos());
        Heartbeat.Gap beforeGap = probed.baselineGap();
        Heartbeat.Gap duringGap = probed.runGap();
        results.add(new BenchResults.Figure(SECTION, name + ": request p99 during the capture",
            LatencyProbe.percentile(during, 99), "ms", null, null, String.format(Locale.ROOT,
                "p50 %s ms over %d requests; the %d s before: p50 %s / p99 %s ms over %d requests; sidecar ran %s s",
                PauseBench.fmt(LatencyProbe.percentile(during, 50)), during.size(), windowMs / 1000,
                PauseBench.fmt(LatencyProbe.percentile(before, 50)), PauseBench.fmt(LatencyProbe.percentile(before, 99)),
                before.size(), PauseBench.fmt(run.wallMs() / 1000)), COMMAND));
        results.add(new BenchResults.Figure(SECTION, name + ": target's longest stall during the capture (heartbeat)",
            duringGap.ms(), duringGap.exact() ? "ms" : "ms (upper bound)", null, null,
            "the " + windowMs / 1000 + " s before: " + beforeGap.describe() + "; " + outcome.path("message").asText(),
            COMMAND));
        if (Files.exists(out.resolve("trace.out"))) {
          double mib = Files.size(out.resolve("trace.out")) / (1024.0 * 1024);
          results.add(new BenchResults.Figure(SECTION, name + ": trace.out size", Math.round(mib * 100) / 100.0, "MiB",
              null, null, PauseBench.fmt(mib / 5) + " MiB/s with the load above", COMMAND));
          results.add(helperFootprint(name, dlv.resolveSibling("trace-summary"), out.resolve("trace.out")));
        }
      }
    }
  }
}
