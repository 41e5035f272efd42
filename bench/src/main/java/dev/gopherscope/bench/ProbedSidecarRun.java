package dev.gopherscope.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The real sidecar run once in local mode against a demo under back-to-back requests: first a
 * baseline window with nothing attached, then the sidecar to its end, with the demo's heartbeat
 * read at the three moments. What the target paid is the latencies and heartbeat gaps of the run
 * against those of the baseline.
 *
 * @param baselineStart when the baseline window began ({@link System#nanoTime()})
 * @param beforeBaseline the heartbeat before the baseline; {@code beforeRun} after it, {@code afterRun} after the run
 */
record ProbedSidecarRun(LatencyProbe probe, long baselineStart, long baselineEnd, Heartbeat beforeBaseline,
    Heartbeat beforeRun, Heartbeat afterRun, SidecarJvm.Run run) {

  /**
   * Probes {@code app} with {@code latencyPath} for {@code baselineMs}, then runs {@code sidecar capture}
   * with {@code args} (after {@code --pid}); the caller closes the probe.
   */
  static ProbedSidecarRun of(Path repo, DemoService app, String latencyPath, long baselineMs, List<String> args) {
    LatencyProbe probe = LatencyProbe.start(app, latencyPath);
    Heartbeat h0 = app.heartbeat();
    long baselineStart = System.nanoTime();
    PauseBench.sleep(baselineMs);
    long baselineEnd = System.nanoTime();
    Heartbeat h1 = app.heartbeat();
    List<String> command = new java.util.ArrayList<>(List.of("capture", "--pid", String.valueOf(app.pid())));
    command.addAll(args);
    SidecarJvm.Run run = SidecarJvm.run(SidecarJvm.command(repo, List.of(), command));
    Heartbeat h2 = app.heartbeat();
    if (probe.failure() != null) {
      probe.close();
      throw new IllegalStateException("the latency probe failed: " + probe.failure());
    }
    return new ProbedSidecarRun(probe, baselineStart, baselineEnd, h0, h1, h2, run);
  }

  List<Double> baseline() {
    return probe.between(baselineStart, baselineEnd);
  }

  Heartbeat.Gap baselineGap() {
    return Heartbeat.between(beforeBaseline, beforeRun);
  }

  Heartbeat.Gap runGap() {
    return Heartbeat.between(beforeRun, afterRun);
  }
}
