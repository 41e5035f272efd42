package dev.gopherscope.bench;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.sidecar.capture.delve.AttachPauseModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Issue 13, figure 7: how long attaching dlv halts real Go binaries, and how much memory dlv takes
 * doing it, against {@link AttachPauseModel}'s prediction and the default
 * {@code spec.attachPauseBudget}, for the demo, a third-party server from the Go module proxy, and
 * etcd and kube-apiserver linked with DWARF, each idle and serving requests.
 *
 * <p>The pause is measured by the sidecar itself, as in a session: the real sidecar (local capture
 * mode, the image's JVM flags) attaches for a Delve {@code Goroutines} capture and reports the
 * attach pause it measured (from the target's TracerPid turning non-zero to dlv's resume
 * confirmed). The budget is raised to 30 s so that an attach predicted over the default still runs
 * and is measured.
 */
final class AttachPauseBench {

  static final String SECTION = "7. Attach pause and dlv memory per binary, idle and under load";

  private static final String COMMAND = "make bench BENCH=attach-pause";
  private static final Pattern ATTACH_PAUSE = Pattern.compile("attaching paused the target ([0-9.]+) ms");
  private static final int RUNS = 3;
  private static final double ATTACH_BUDGET_MS = 30_000;
  private static final long BUDGET_MS = SessionPlanner.DEFAULT_ATTACH_PAUSE_BUDGET.toMillis();
  private static final long DLV_MEMORY_DEFAULT_MIB = 256;

  private AttachPauseBench() {
  }

  static void run(BenchResults results, Path repo) throws Exception {
    Path work = repo.resolve("bench/target/attach-pause");
    Files.createDirectories(work);
    AttachPauseModel model = AttachPauseModel.measured();
    results.note(SECTION, "Each binary runs as its own process on this machine: the demo (examples/demo-service), "
        + AttachTargets.THIRD_PARTY + " (`go install`ed from the Go module proxy, with DWARF), and etcd and "
        + "kube-apiserver linked again without -s -w (as in figure 4; kube-apiserver runs with the test "
        + "environment's command line, certificates and etcd). For each, " + RUNS + " fresh sidecars (`SidecarMain "
        + "capture --pid`, the image's JVM flags, `captures: [{kind: Goroutines, source: Delve}]`, "
        + "attachPauseBudget 30s so that no attach is refused) attach dlv " + AttachTargets.dlvVersion()
        + "; the pause is what the sidecar measured and reported (attachPausedMs: target's TracerPid set → "
        + "dlv's resume confirmed, which includes dlv loading the debug info and the sidecar's warm-up listing), "
        + "median of the runs. **Under load**, two client threads send requests the binary serves for the whole "
        + "run (demo: `GET /work/cpu?ms=1`; " + AttachTargets.THIRD_PARTY_LOAD + "; etcd: put and range through "
        + "its client port's JSON gateway; kube-apiserver: `GET /api/v1/namespaces` and the default namespace's "
        + "configmaps), and the longest request that overlapped a sidecar run is given as what clients saw. "
        + "dlv peak RSS is dlv's VmHWM sampled every 10 ms (worst run); dlv's CPU time (utime + stime) is "
        + "given too, since on a busy machine the pause also counts the time dlv waited for a core. The model is "
        + "the sidecar's "
        + "AttachPauseModel (" + model.fixed().toMillis() + " ms + " + model.perMib().toMillis()
        + " ms per MiB of inflated DWARF); the budget is spec.attachPauseBudget's default, " + BUDGET_MS
        + " ms; the dlv memory target is the operator's GOPHERSCOPE_DLV_MEMORY default.");
    String loadAtStart = BenchMain.loadAverage();
    List<Measured> all = new ArrayList<>();
    AttachTargets targets = AttachTargets.prepare(repo, work);
    for (AttachTargets.Kind kind : AttachTargets.Kind.values()) {
      try (AttachTargets.Target target = targets.start(kind)) {
        for (boolean loaded : new boolean[] {false, true}) {
          Measured m = measure(repo, work, target, loaded, model);
          all.add(m);
          report(results, m);
        }
      } catch (RuntimeException e) {
        e.printStackTrace();
        results.note(SECTION, "**" + kind.title() + " not measured**: " + e.getMessage());
      }
    }
    fit(results, all, model);
    // Wall-clock pauses grow with whatever else holds the cores; the section may be kept across runs,
    // so it says the load it was measured under.
    results.note(SECTION, "Load average while measured: " + loadAtStart + " at the start, " + BenchMain.loadAverage()
        + " at the end.");
  }

  /** One binary in one state: medians and worsts of its runs. */
  private record Measured(String binary, boolean loaded, double dwarfMib, double pauseMs, List<Double> pauses,
      double dlvCpuMs, double predictedMs, long dlvPeakBytes, double longestRequestMs, double requestsPerSecond,
      long failedRequests, int goroutines, int overruns) {

    /** Whether every run was measured, so that the median is a figure rather than a lower bound. */
    boolean exact() {
      return overruns == 0;
    }
  }

  private static Measured measure(Path repo, Path work, AttachTargets.Target target, boolean loaded,
      AttachPauseModel model) throws IOException {
    Path session = work.resolve("session.yaml");
    Files.writeString(session, """
        spec:
          captures:
            - {kind: Goroutines, source: Delve}
          attachPauseBudget: 30s
          timeout: 180s
        """);
    DwarfSize dwarf = DwarfSize.of(Path.of("/proc", Long.toString(target.pid()), "exe"));
    List<Double> pauses = new ArrayList<>();
    long dlvPeak = 0;
    List<Double> dlvCpu = new ArrayList<>();
    int goroutines = 0;
    int overruns = 0;
    RequestLoad load = loaded ? RequestLoad.start(target.request(), 2) : null;
    try {
      for (int i = 0; i < RUNS; i++) {
        Path out = work.resolve(target.name() + (loaded ? "-load-" : "-idle-") + i);
        AttachTargets.deleteRecursively(out);
        SidecarJvm.Run run;
        try (DlvPeakWatch dlv = DlvPeakWatch.start(target.pid())) {
          run = SidecarJvm.run(SidecarJvm.command(repo, List.of(), List.of("capture", "--pid",
              Long.toString(target.pid()), "-f", session.toString(), "--out", out.toString(), "--dlv",
              dlvPath().toString())));
          dlvPeak = Math.max(dlvPeak, dlv.peakRssBytes());
          dlvCpu.add(dlv.cpuMillis());
        }
        if (load != null) {
          load.markWindow(run.startNanos(), run.endNanos());
        }
        double pause = attachPause(out, run);
        if (pause == 0 && overran(out)) {
          overruns++;
          pause = ATTACH_BUDGET_MS;
        } else if (pause <= 0) {
          throw new IllegalStateException("the sidecar reported no attach pause for " + target.name() + " (exit "
              + run.exit() + "): " + String.join(" | ", run.stderr().subList(Math.max(0, run.stderr().size() - 4),
              run.stderr().size())));
        }
        pauses.add(pause);
        goroutines = Math.max(goroutines, SidecarJvm.firstCapture(out).path("goroutines").asInt(0));
      }
    } finally {
      if (load != null) {
        load.close();
      }
    }
    long dwarfBytes = dwarf.inflatedBytes();
    return new Measured(target.name(), loaded, dwarfBytes / 1048576.0, Timing.median(pauses), pauses,
        Timing.median(dlvCpu), model.predict(dwarfBytes).pause().toNanos() / 1e6, dlvPeak,
        load == null ? -1 : load.longestOverlappingMs(), load == null ? -1 : load.perSecond(),
        load == null ? 0 : load.failures(), goroutines, overruns);
  }

  /** Whether the sidecar killed dlv because the attach overran its budget (then it reports no pause). */
  private static boolean overran(Path out) {
    return SidecarJvm.firstCapture(out).path("message").asText().contains("past the");
  }

  /** The report's attachPausedMs, or the sidecar's progress line if the report has none; -1 if neither. */
  private static double attachPause(Path out, SidecarJvm.Run run) {
    try {
      var report = JsonMapper.builder().build().readTree(out.resolve("report.json").toFile());
      if (report.path("attachPausedMs").isNumber()) {
        return report.path("attachPausedMs").asDouble();
      }
    } catch (IOException e) {
      // No report: fall back to what the sidecar printed.
    }
    return run.number(ATTACH_PAUSE);
  }

  private static void report(BenchResults results, Measured m) {
    String state = m.loaded() ? "under load" : "idle";
    String name = String.format(Locale.ROOT, "%s (%.1f MiB DWARF), %s", m.binary(), m.dwarfMib(), state);
    double error = (m.predictedMs() - m.pauseMs()) / m.pauseMs() * 100;
    String overran = m.exact() ? "" : String.format(Locale.ROOT, "; %d of %d attaches overran the %.0f s budget and "
        + "dlv was killed (counted as %.0f ms: the figure is a lower bound)", m.overruns(), RUNS,
        ATTACH_BUDGET_MS / 1000, ATTACH_BUDGET_MS);
    String clients = m.loaded() ? String.format(Locale.ROOT, "; clients: %.0f requests/s, the longest request "
        + "overlapping a sidecar run took %.0f ms%s", m.requestsPerSecond(), m.longestRequestMs(),
        m.failedRequests() > 0 ? ", " + m.failedRequests() + " requests failed" : "") : "";
    results.add(new BenchResults.Figure(SECTION, name + ": attach pause", m.pauseMs(), "ms",
        "≤ " + BUDGET_MS + " ms (default attachPauseBudget)", m.pauseMs() <= BUDGET_MS,
        String.format(Locale.ROOT, "model predicts %.0f ms (%+.0f%%)%s; runs %s ms; dlv used %.0f ms of CPU in the "
            + "whole run (attach, capture, detach; median)%s%s", m.predictedMs(), error,
            m.predictedMs() > BUDGET_MS ? ", over the budget: with the default the sidecar refuses to attach" : "",
            joined(m.pauses()), m.dlvCpuMs(), overran, clients), COMMAND));
    double mib = m.dlvPeakBytes() / 1048576.0;
    results.add(new BenchResults.Figure(SECTION, name + ": dlv peak RSS", Math.round(mib * 10) / 10.0, "MiB",
        "≤ " + DLV_MEMORY_DEFAULT_MIB + " MiB (GOPHERSCOPE_DLV_MEMORY default)", mib <= DLV_MEMORY_DEFAULT_MIB,
        "worst of " + RUNS + " attaches" + (m.goroutines() > 0 ? ", the target had about " + m.goroutines()
            + " goroutines" : ""), COMMAND));
  }

  /** Least squares over the medians: what the constants would be if these binaries set them. */
  private static void fit(BenchResults results, List<Measured> measured, AttachPauseModel model) {
    List<Measured> all = measured.stream().filter(Measured::exact).toList();
    if (all.size() < 2) {
      return;
    }
    double n = all.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    double worst = 0;
    String worstAt = "";
    for (Measured m : all) {
      sx += m.dwarfMib();
      sy += m.pauseMs();
      sxx += m.dwarfMib() * m.dwarfMib();
      sxy += m.dwarfMib() * m.pauseMs();
      double error = (m.predictedMs() - m.pauseMs()) / m.pauseMs() * 100;
      if (Math.abs(error) > Math.abs(worst)) {
        worst = error;
        worstAt = m.binary() + (m.loaded() ? " under load" : " idle");
      }
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    double intercept = (sy - slope * sx) / n;
    results.add(new BenchResults.Figure(SECTION, "AttachPauseModel: largest error against these medians", worst, "%",
        null, null, String.format(Locale.ROOT, "at %s; the model is %d ms + %d ms/MiB; a least-squares fit over these "
            + "%d medians (those with no overrun) would be %.0f ms + %.1f ms/MiB", worstAt, model.fixed().toMillis(), model.perMib().toMillis(),
            all.size(), intercept, slope), COMMAND));
  }

  private static String joined(List<Double> values) {
    List<String> parts = new ArrayList<>();
    values.forEach(v -> parts.add(String.format(Locale.ROOT, "%.0f", v)));
    return String.join(", ", parts);
  }

  private static Path dlvPath() {
    return dev.gopherscope.testsupport.TestEnvironment.get().dlv();
  }
}
