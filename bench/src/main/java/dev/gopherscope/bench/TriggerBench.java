package dev.gopherscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 14, item 6: what an armed session costs the target while it waits. The real sidecar (a
 * fresh JVM with the image's flags, real dlv) arms a trigger that never fires against a freshly
 * started demo with parked goroutines and requests arriving back to back, polling at the
 * shortest interval the CRD allows (1 s). The demo's request latency and heartbeat over 8 s of the
 * armed window, against 8 s just before, are the cost; the poll times come from trigger.json.
 * The breakpoint trigger sits on the function every probe request calls, with a condition that
 * is never true: the worst case, a hot location whose every call Delve stops to evaluate.
 */
final class TriggerBench {

  static final String SECTION = "10. Armed sessions: what waiting for a trigger costs the target";
  private static final int IDLE = 2_000;
  private static final String LATENCY_PATH = "/work/cpu?ms=1";
  private static final String COMMAND = "make bench BENCH=trigger";
  private static final long WINDOW_MS = 8_000;

  private TriggerBench() {
  }

  static void run(BenchResults results, Path repo) throws Exception {
    Path work = repo.resolve("bench/target/trigger");
    Files.createDirectories(work);
    Path dlv = TestEnvironment.get().dlv();
    measure(results, repo, work, dlv, "goroutinesAbove (pprof index page)", "goroutinesAbove: 100000000");
    measure(results, repo, work, dlv, "heapInUseAbove (heap profile's MemStats)", "heapInUseAbove: 1Ti");
    measure(results, repo, work, dlv, "labelAppears (goroutine profile)", "labelAppears: {route: /never}");
    measure(results, repo, work, dlv, "breakpoint at a function every request calls, condition never true",
        "breakpoint: {location: main.burnCPU, condition: \"d > 1000000000000\"}");
    results.note(SECTION, "The demo service (examples/demo-service) runs with " + IDLE + " parked goroutines and `"
        + LATENCY_PATH + "` requests back to back from the benchmark (one connection). For each trigger kind the real "
        + "sidecar (`SidecarMain capture`, image JVM flags, real dlv) arms a trigger that never fires, polling every "
        + "1 s (the least spec.trigger.pollInterval allows; the default is 5 s), for the session's 30 s timeout less "
        + "its 10 s reserve. The figures compare the " + WINDOW_MS / 1000 + " s of the armed window before the last 2 "
        + "s with the " + WINDOW_MS / 1000 + " s before the sidecar started; the poll times are the sidecar's own "
        + "(trigger.json). pauseBudget is 1 s so that setting the breakpoint on this shared machine never stops the "
        + "breakpoint row early. The sidecar stretches the interval to 49× a poll's time, so polling never takes over 2% of "
        + "the time. The breakpoint row is the worst case of a breakpoint trigger: Delve halts the target at every "
        + "call of the location to evaluate the condition, here at every request; a location off the hot path costs "
        + "nothing until it is reached.");
  }

  private static void measure(BenchResults results, Path repo, Path work, Path dlv, String name, String condition)
      throws IOException {
    Path session = work.resolve("session.yaml");
    Path out = PauseBench.fresh(work.resolve("out"));
    try (DemoService app = DemoService.start("gs-trig-bench", IDLE)) {
      Files.writeString(session, "apiVersion: gopherscope.dev/v1alpha1\nkind: DebugSession\n"
          + "metadata: {name: trigger-bench}\nspec:\n  target: {podName: local, container: app}\n"
          + "  pprof: {port: " + app.pprofPort() + "}\n  timeout: 30s\n  pauseBudget: 1s\n"
          + "  attachPauseBudget: 15s\n  trigger:\n    " + condition + "\n    pollInterval: 1s\n"
          + "  captures:\n    - {kind: Goroutines}\n");
      PauseBench.sleep(1500);
      ProbedSidecarRun probed = ProbedSidecarRun.of(repo, app, LATENCY_PATH, WINDOW_MS, List.of("-f",
          session.toString(), "--out", out.toString(), "--dlv", dlv.toString()));
      try (LatencyProbe probe = probed.probe()) {
        SidecarJvm.Run run = probed.run();
        JsonNode trigger = JsonMapper.builder().build().readTree(out.resolve("trigger.json").toFile());
        if (!"NeverFired".equals(trigger.path("state").asText())) {
          throw new IllegalStateException(name + ": the trigger did not wait to the end: "
              + trigger.path("message").asText() + " " + run.stderr());
        }
        long armedEnd = run.endNanos() - 2_000_000_000L;
        List<Double> before = probed.baseline();
        List<Double> armed = probe.between(armedEnd - WINDOW_MS * 1_000_000, armedEnd);
        results.add(new BenchResults.Figure(SECTION, name + ": request p99 while armed",
            LatencyProbe.percentile(armed, 99), "ms", null, null, String.format(Locale.ROOT,
                "p50 %s ms, %d requests in %d s; before: p50 %s / p99 %s ms, %d requests; %s",
                PauseBench.fmt(LatencyProbe.percentile(armed, 50)), armed.size(), WINDOW_MS / 1000,
                PauseBench.fmt(LatencyProbe.percentile(before, 50)), PauseBench.fmt(LatencyProbe.percentile(before, 99)),
                before.size(), polls(trigger)), COMMAND));
        Heartbeat.Gap beforeGap = probed.baselineGap();
        Heartbeat.Gap runGap = probed.runGap();
        results.add(new BenchResults.Figure(SECTION, name + ": target's longest stall while the sidecar ran (heartbeat)",
            runGap.ms(), runGap.exact() ? "ms" : "ms (upper bound)", null, null,
            "before: " + beforeGap.describe() + "; the window includes the sidecar JVM's start"
                + (condition.startsWith("breakpoint") ? " and dlv's attach" : ""), COMMAND));
      }
    }
  }

  /** The sidecar's own account of its polls. */
  private static String polls(JsonNode trigger) {
    List<Double> took = new ArrayList<>();
    trigger.path("readings").forEach(r -> took.add(r.path("tookMs").asDouble()));
    if (took.isEmpty()) {
      return trigger.path("polls").asLong() + " hits; " + trigger.path("message").asText();
    }
    return String.format(Locale.ROOT, "%d polls, each p50 %s ms / max %s ms (the target serving it)",
        trigger.path("polls").asLong(), PauseBench.fmt(LatencyProbe.percentile(took, 50)),
        PauseBench.fmt(took.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
  }
}
