package dev.gopherscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.sidecar.delve.DelveClient;
import dev.gopherscope.sidecar.delve.DelveServer;
import dev.gopherscope.sidecar.delve.DelveTypes.Goroutine;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 7, figure 1: how long one trace-filtered goroutine snapshot stops the demo service, at 1k
 * to 100k goroutines, for gopherscope's Auto source (the pprof path on an app that serves pprof)
 * against naive Delve (halt, list every goroutine, read the trace's stacks, resume), with
 * gopherscope's own Delve source alongside, and the demo's request latency with and without a
 * capture running. The target's own heartbeat is the ruler for anything that is not a dlv halt.
 */
final class PauseBench {

  static final String SECTION = "1. Target pause per trace-filtered goroutine snapshot";
  private static final int[] SIZES = {1_000, 10_000, 50_000, 100_000};
  private static final int TARGET_SIZE = 50_000;
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final List<String> TRACEPARENTS = List.of(
      "00-" + TRACE_ID + "-00f067aa0ba902b7-01",
      "00-5bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b8-01",
      "00-6bf92f3577b34da6a3ce929d0e0e4738-00f067aa0ba902b9-01");
  private static final int AUTO_RUNS = 3;
  private static final int LATENCY_REQUESTS = 200;
  private static final String LATENCY_PATH = "/work/cpu?ms=1";
  private static final long NAIVE_LIMIT_MS = 60_000;
  private static final Pattern ATTACH_PAUSE = Pattern.compile("attaching paused the target ([0-9.]+) ms");

  private PauseBench() {
  }

  static void run(BenchResults results, Path repo) throws Exception {
    Path dlv = TestEnvironment.get().dlv();
    Path work = repo.resolve("bench/target/pause");
    Files.createDirectories(work);
    Path autoSession = work.resolve("auto.yaml");
    Path delveSession = work.resolve("delve.yaml");
    double naivePerGoroutineMs = -1;
    List<String> skipped = new ArrayList<>();
    for (int n : SIZES) {
      String size = n >= 1000 ? (n / 1000) + "k" : String.valueOf(n);
      System.out.println("[bench] pause: demo with " + size + " idle goroutines");
      boolean target = n == TARGET_SIZE;
      String command = "make bench BENCH=pause";
      // The demo keeps only its longest heartbeat gap since start, so each window whose gap must be
      // exact gets a freshly started demo: first gopherscope's snapshots, then a bare profile fetch.
      Heartbeat settled;
      Heartbeat.Gap autoGap;
      List<SidecarJvm.Run> autoRuns = new ArrayList<>();
      boolean traced;
      JsonNode autoReport = null;
      try (DemoService app = startWithTraces(repo, n)) {
        writeSession(autoSession, app.pprofPort(), "");
        settled = app.heartbeat();
        // gopherscope, Auto source: the real sidecar, a fresh JVM per snapshot, as in a pod.
        try (ProcessWatch targetWatch = ProcessWatch.start(app.pid(), 2)) {
          for (int i = 0; i < AUTO_RUNS; i++) {
            Path out = fresh(work.resolve("auto-out"));
            autoRuns.add(SidecarJvm.run(SidecarJvm.command(repo, List.of(), List.of("capture", "--pid",
                String.valueOf(app.pid()), "-f", autoSession.toString(), "--out", out.toString()))));
            autoReport = SidecarJvm.firstCapture(out);
          }
          traced = targetWatch.everTraced();
        }
        autoGap = Heartbeat.between(settled, app.heartbeat());
      }
      try (DemoService app = startWithTraces(repo, n)) {
        writeSession(autoSession, app.pprofPort(), "");
        writeSession(delveSession, app.pprofPort(), "Delve");
        Heartbeat h0 = app.heartbeat();
        List<Double> fetches = new ArrayList<>();
        int profileBytes = 0;
        for (int i = 0; i < AUTO_RUNS; i++) {
          long fetchStart = System.nanoTime();
          profileBytes = app.goroutineProfile().length;
          fetches.add((System.nanoTime() - fetchStart) / 1e6);
        }
        Heartbeat.Gap fetchGap = Heartbeat.between(h0, app.heartbeat());
        double autoPausedMs = autoReport.path("pausedMs").asDouble();
        boolean noHalt = !traced && "Pprof".equals(autoReport.path("source").asText()) && autoPausedMs == 0;
        results.add(new BenchResults.Figure(SECTION, size + ": dlv halt, gopherscope Auto source (pprof)",
            noHalt ? 0 : autoPausedMs, "ms", target ? "≤ 50 ms (ideally 0)" : null, target ? noHalt || autoPausedMs <= 50
                : null, String.format(Locale.ROOT, "source %s; target %s ptrace-attached (TracerPid sampled every 2 ms); "
                + "trace found in %d goroutine(s); snapshot %s ms end to end (median of %d, fresh sidecar JVM each)",
                autoReport.path("source").asText(), traced ? "WAS" : "never", autoReport.path("matchedGoroutines").asLong(),
                fmt(median(autoRuns.stream().map(SidecarJvm.Run::wallMs).toList())), AUTO_RUNS), command));
        results.add(new BenchResults.Figure(SECTION, size + ": target's longest stall during those snapshots (heartbeat)",
            autoGap.ms(), autoGap.exact() ? "ms" : "ms (upper bound)", target ? "≤ 50 ms" : null,
            target ? autoGap.ms() <= 50 : null, "longest gap from start-up to just before: " + fmt(settled.maxGapMs())
                + " ms; " + AUTO_RUNS + " bare goroutine-profile fetches (median " + fmt(median(fetches)) + " ms, "
                + profileBytes / 1024 + " KiB) on a fresh demo: " + fetchGap.describe(), command));

        if (target && autoGap.ms() > 50) {
          results.note(SECTION, "**Missed: stall at 50k (" + autoGap.describe() + ").** dlv never halted the target; "
              + "the stall is the Go runtime producing the goroutine profile: it stops the world to count and to "
              + "start the profile, then walks all " + n + " goroutines on this machine's 2 cores, while the sidecar's "
              + "JVM starts on the same cores. The bare fetches (no sidecar) stalled it " + fetchGap.describe()
              + ". What would close it: start the sidecar JVM before the snapshot is due (it is, in a pod, during "
              + "Attached) and at a lower CPU priority, take one profile per snapshot (as now), or run the target "
              + "with more than 2 cores, where the walk does not starve the heartbeat.");
        }

        // Request latency without a capture, then while snapshots run back to back.
        double[] latency = latency(app, repo, autoSession, work);

        // gopherscope's Delve source, for apps without pprof: one halt within the pause budget.
        Path delveOut = fresh(work.resolve("delve-out"));
        SidecarJvm.Run delveRun = SidecarJvm.run(SidecarJvm.command(repo, List.of(), List.of("capture", "--pid",
            String.valueOf(app.pid()), "-f", delveSession.toString(), "--out", delveOut.toString(), "--dlv",
            dlv.toString())));
        JsonNode delveReport = SidecarJvm.firstCapture(delveOut);
        results.add(new BenchResults.Figure(SECTION, size + ": gopherscope Delve source, 100 ms budget (halt)",
            delveReport.path("pausedMs").asDouble(), "ms", null, null, "attaching paused it "
                + fmt(delveRun.number(ATTACH_PAUSE)) + " ms more (once per session); "
                + delveReport.path("message").asText(), command));

        // Naive Delve, last: it may stop the target for many seconds.
        long predicted = naivePerGoroutineMs < 0 ? 0 : Math.round(naivePerGoroutineMs * n);
        if (predicted > NAIVE_LIMIT_MS) {
          skipped.add(size + " (about " + predicted / 1000 + " s predicted from the smaller runs)");
        } else {
          Naive naive = naive(app, dlv, n);
          naivePerGoroutineMs = naive.pauseMs / n;
          double stall = Math.max(autoGap.ms(), 1);
          results.add(new BenchResults.Figure(SECTION, size + ": naive Delve pause (halt, list all, stacks, resume)",
              naive.pauseMs, "ms", target ? "≥ 100× gopherscope's stall" : null, target ? naive.pauseMs / stall >= 100
                  : null, String.format(Locale.ROOT, "%s× gopherscope's stall%s; heartbeat saw %s; listed %d goroutines, "
                  + "read %d stack(s); attaching paused it %s ms more (heartbeat %s); dlv peak RSS %s MiB%s",
                  fmt(naive.pauseMs / stall), autoGap.exact() ? "" : " (against its upper bound)", naive.gap.describe(),
                  naive.listed, naive.stacks, fmt(naive.attachMs), naive.attachGap.describe(),
                  fmt(ProcessMemory.mebibytes(naive.dlvPeakRss)),
                  target ? "; DESIGN measured 6.4 s here with Go 1.19 and dlv 1.20" : ""), command));
          if (target && naive.pauseMs / stall < 100) {
            results.note(SECTION, "**Missed: naive Delve only " + fmt(naive.pauseMs / stall) + "× the stall at 50k.** "
                + "gopherscope's dlv halt is 0 ms; the ratio is taken against the heartbeat's stall, which is the Go "
                + "runtime's own cost of the goroutine profile plus CPU contention (see the stall row).");
          }
        }
        results.add(new BenchResults.Figure(SECTION, size + ": request p99 while gopherscope snapshots run",
            latency[1], "ms", null, null, String.format(Locale.ROOT, "p50 %s ms (%d requests); without a capture p50 %s / "
                + "p99 %s ms (%d requests)", fmt(latency[0]), (int) latency[4], fmt(latency[2]), fmt(latency[3]),
                (int) latency[5]), command));
      }
    }
    results.note(SECTION, "The demo service (examples/demo-service) runs with N parked goroutines plus three "
        + "requests blocked in /work/block, each with its own traceparent; every snapshot asks for the stacks of one "
        + "of those traces. **gopherscope Auto**: the real sidecar (`SidecarMain capture`, TraceStacks, filter "
        + "traceparent, image JVM flags), a fresh JVM per snapshot as in a pod; on an app that serves pprof, Auto "
        + "reads `goroutine?debug=0` and never starts dlv, which the benchmark checks by sampling the target's "
        + "TracerPid every 2 ms. **Stall** is the demo's own heartbeat (a goroutine ticking every 10 ms; its longest "
        + "gap between ticks): it sees halts and starvation alike. The demo only keeps the longest gap since it "
        + "started, so a gap is exact when it rose during the measured window, and otherwise shown as an upper bound "
        + "(≤ the earlier maximum); so the snapshots and the bare profile fetches each run on a freshly started demo. "
        + "The stall row is the worst of " + AUTO_RUNS + " snapshots. **Naive Delve**: "
        + "`dlv attach`, resume, then halt, `ListGoroutines` with Count 0 and no filter (every goroutine), "
        + "`Stacktrace` of each goroutine labelled with the trace, resume; pause = halt sent → resume acknowledged; "
        + "the attach pause (dlv loading the binary) is shown separately. **gopherscope Delve source**: the same "
        + "sidecar with `source: Delve` and the default 100 ms pause budget (label-filtered, paged listing; the "
        + "status says when the budget cut the scan short: past a few thousand goroutines, 100 ms of halt reaches only "
        + "part of them, which is why Auto prefers pprof). **Latency**: " + LATENCY_REQUESTS + "+ sequential "
        + "requests of `" + LATENCY_PATH + "` from the benchmark's JVM, first with nothing else running, then "
        + "those that started while an Auto snapshot (sidecar JVM start included) was running. Everything shares "
        + "this machine's 2 cores: the sidecar's JVM start competes with the target for CPU, as it would on a "
        + "2-core node."
        + (skipped.isEmpty() ? "" : "\n\nNaive Delve was skipped at " + String.join(", ", skipped)
            + ": above the " + NAIVE_LIMIT_MS / 1000 + " s cap this benchmark allows it."));
  }

  /** The demo with {@code n} parked goroutines and the three traced requests in flight, settled. */
  private static DemoService startWithTraces(Path repo, int n) {
    DemoService app = DemoService.start("gs-pause-demo", n);
    TRACEPARENTS.forEach(tp -> app.inFlight("/work/block?ms=600000", tp));
    awaitGoroutines(app, n + TRACEPARENTS.size());
    sleep(1000);
    return app;
  }

  private record Naive(double pauseMs, Heartbeat.Gap gap, double attachMs, Heartbeat.Gap attachGap, int listed,
      int stacks, long dlvPeakRss) {
  }

  /** Attach, resume, then halt, list every goroutine, read the trace's stacks, resume. */
  private static Naive naive(DemoService app, Path dlv, int n) {
    Duration callTimeout = Duration.ofMillis(NAIVE_LIMIT_MS + 30_000);
    Heartbeat beforeAttach = app.heartbeat();
    long attachStart = System.nanoTime();
    try (DelveServer server = DelveServer.attach(dlv, app.pid(), Duration.ofSeconds(120));
         DelveClient client = server.connect(callTimeout)) {
      client.version(); // answered once dlv has loaded the binary
      client.resumeAndConfirm();
      double attachMs = (System.nanoTime() - attachStart) / 1e6;
      sleep(300);
      Heartbeat afterAttach = app.heartbeat();
      long haltStart = System.nanoTime();
      client.halt();
      List<Goroutine> all = client.listGoroutines(0, 0, List.of()).goroutinesOrEmpty();
      int stacks = 0;
      for (Goroutine g : all) {
        if (g.labelsOrEmpty().values().stream().anyMatch(v -> v.contains(TRACE_ID))) {
          client.stacktrace(g.id(), 64);
          stacks++;
        }
      }
      client.resumeAndConfirm();
      double pauseMs = (System.nanoTime() - haltStart) / 1e6;
      long dlvPeak = ProcessMemory.peakRssBytes(server.pid());
      Heartbeat after = app.heartbeat();
      System.out.printf(Locale.ROOT, "[bench] pause: naive Delve at %d goroutines paused %.0f ms%n", n, pauseMs);
      return new Naive(pauseMs, Heartbeat.between(afterAttach, after), attachMs,
          Heartbeat.between(beforeAttach, afterAttach), all.size(), stacks, dlvPeak);
    }
  }

  /**
   * {p50, p99} during snapshots, {p50, p99} without, and the two sample counts. Baseline first;
   * then Auto snapshots back to back until enough requests started inside one (at most five).
   */
  private static double[] latency(DemoService app, Path repo, Path session, Path work) {
    try (LatencyProbe probe = LatencyProbe.start(app, LATENCY_PATH)) {
      long baselineStart = System.nanoTime();
      long deadline = baselineStart + 20_000_000_000L;
      while (probe.count() < LATENCY_REQUESTS && System.nanoTime() < deadline) {
        sleep(20);
      }
      List<Double> baseline = probe.between(baselineStart, System.nanoTime());
      List<Double> during = new ArrayList<>();
      for (int i = 0; i < 5 && during.size() < LATENCY_REQUESTS; i++) {
        SidecarJvm.Run run = SidecarJvm.run(SidecarJvm.command(repo, List.of(), List.of("capture", "--pid",
            String.valueOf(app.pid()), "-f", session.toString(), "--out", fresh(work.resolve("latency-out")).toString())));
        during.addAll(probe.between(run.startNanos(), run.endNanos()));
      }
      if (probe.failure() != null) {
        throw new IllegalStateException("the latency probe failed: " + probe.failure());
      }
      return new double[] {LatencyProbe.percentile(during, 50), LatencyProbe.percentile(during, 99),
          LatencyProbe.percentile(baseline, 50), LatencyProbe.percentile(baseline, 99), during.size(), baseline.size()};
    }
  }

  private static void writeSession(Path file, int pprofPort, String source) throws IOException {
    Files.writeString(file, String.join("\n",
        "apiVersion: gopherscope.dev/v1alpha1",
        "kind: DebugSession",
        "metadata: {name: pause-" + (source.isEmpty() ? "auto" : source.toLowerCase(Locale.ROOT)) + "}",
        "spec:",
        "  target: {podName: local, container: app}",
        "  pprof: {port: " + pprofPort + "}",
        "  filter: {traceparent: " + TRACEPARENTS.get(0) + "}",
        "  captures:",
        "    - {kind: TraceStacks" + (source.isEmpty() ? "" : ", source: " + source) + "}",
        "  pauseBudget: 100ms",
        ""));
  }

  private static void awaitGoroutines(DemoService app, int atLeast) {
    Pattern count = Pattern.compile("goroutines=(\\d+)");
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      Matcher m = count.matcher(app.get("/stats"));
      if (m.find() && Long.parseLong(m.group(1)) >= atLeast) {
        return;
      }
      sleep(50);
    }
    throw new IllegalStateException("the demo did not reach " + atLeast + " goroutines");
  }

  static Path fresh(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static double median(List<Double> values) {
    return values.isEmpty() ? Double.NaN : Timing.median(values);
  }

  static String fmt(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return value >= 100 ? String.valueOf(Math.round(value)) : BenchResults.format(Math.round(value * 10) / 10.0);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
