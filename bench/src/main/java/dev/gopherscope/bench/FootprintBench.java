package dev.gopherscope.bench;

import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.testsupport.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 7, figure 4: what gopherscope adds to the target pod's memory. The sidecar JVM with the
 * image's flags, capturing from a 50k-goroutine target in the pod's run mode and in local capture
 * mode, with the JDK's CDS archive, without CDS and with an AppCDS archive; and dlv, loaded with
 * binaries from the demo up to kube-apiserver and attached to the live demo, fitted to a model the
 * operator's memory-headroom pre-flight can use.
 */
final class FootprintBench {

  static final String SECTION = "4. Footprint in the target pod: the sidecar JVM and dlv";
  private static final String TRACEPARENT = "00-8bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final int GOROUTINES = 50_000;
  private static final int RUNS = 3;
  private static final double MB = 1e6;
  private static final double MIB = 1 << 20;
  private static final long DLV_DEFAULT = 256L << 20;
  private static final int SIZING_GOROUTINES = 10_000;
  private static final String COMMAND = "make bench BENCH=footprint";

  private FootprintBench() {
  }

  static void run(BenchResults results, Path repo) throws Exception {
    Path work = repo.resolve("bench/target/footprint");
    Files.createDirectories(work);
    sidecar(results, repo, work);
    dlv(results, repo, work);
  }

  /** A way to start the sidecar's JVM: the image's flags plus {@code flags}, or only {@code flags}. */
  private record Variant(String name, boolean imageFlags, List<String> flags, List<SidecarJvm.Run> captures,
      List<SidecarJvm.Run> helps) {

    List<String> command(Path repo, List<String> args) {
      return imageFlags ? SidecarJvm.command(repo, flags, args) : SidecarJvm.commandWithFlags(repo, flags, args);
    }

    double readyMs() {
      return PauseBench.median(captures.stream().map(SidecarJvm.Run::readyMs).toList());
    }

    double captureMs() {
      return PauseBench.median(captures.stream().map(SidecarJvm.Run::wallMs).toList());
    }

    double helpMs() {
      return PauseBench.median(helps.stream().map(SidecarJvm.Run::wallMs).toList());
    }

    double peakMb() {
      return captures.stream().mapToLong(SidecarJvm.Run::peakRssBytes).max().orElse(-1) / MB;
    }

    double helpPeakMb() {
      return helps.stream().mapToLong(SidecarJvm.Run::peakRssBytes).max().orElse(-1) / MB;
    }

    boolean allOk() {
      return captures.stream().allMatch(r -> r.exit() == 0) && helps.stream().allMatch(r -> r.exit() == 0);
    }
  }

  private static void sidecar(BenchResults results, Path repo, Path work) throws Exception {
    try (DemoService app = DemoService.start("gs-footprint", GOROUTINES)) {
      app.inFlight("/work/block?ms=600000", TRACEPARENT);
      Path session = work.resolve("session.yaml");
      Files.writeString(session, SessionLatencyBench.sessionYaml("footprint", "local", app, TRACEPARENT, ""));
      Path cds = work.resolve("cds");
      Files.createDirectories(cds);
      Path archive = cds.resolve("sidecar.jsa");
      Files.deleteIfExists(archive);
      // AppCDS: the classes one real capture loads, dumped at its exit (rebuilt every run, so the
      // archive always matches the jars; the JVM would silently ignore a stale one).
      SidecarJvm.Run training = SidecarJvm.run(SidecarJvm.command(repo, List.of("-XX:ArchiveClassesAtExit=" + archive),
          capture(app, session, work)));
      List<Variant> variants = new ArrayList<>(List.of(
          new Variant("JDK default CDS", true, List.of(), new ArrayList<>(), new ArrayList<>()),
          new Variant("-Xshare:off", true, List.of("-Xshare:off"), new ArrayList<>(), new ArrayList<>())));
      boolean archived = Files.exists(archive);
      if (archived) {
        variants.add(new Variant("AppCDS", true, List.of("-XX:SharedArchiveFile=" + archive), new ArrayList<>(),
            new ArrayList<>()));
      }
      Variant untuned = new Variant("JVM defaults", false, List.of(), new ArrayList<>(), new ArrayList<>());
      variants.add(untuned);
      for (int r = 0; r < RUNS; r++) {
        for (Variant v : variants) {
          v.captures().add(SidecarJvm.run(v.command(repo, capture(app, session, work))));
          v.helps().add(SidecarJvm.run(v.command(repo, List.of("--help"))));
        }
      }

      // In the pod's run mode: the image's flags, then once more with an AppCDS archive that a
      // run-mode sidecar dumped at its exit.
      Path podArchive = cds.resolve("sidecar-run-mode.jsa");
      Files.deleteIfExists(podArchive);
      LocalControlPlane.Observed inPod;
      LocalControlPlane.Observed inPodCds = null;
      try (LocalControlPlane plane = LocalControlPlane.start(repo)) {
        inPod = podSession(plane, work, app, "footprint-50k");
        plane.sidecarFlags(List.of("-XX:ArchiveClassesAtExit=" + podArchive));
        podSession(plane, work, app, "footprint-50k-cds-dump");
        if (Files.exists(podArchive)) {
          plane.sidecarFlags(List.of("-XX:SharedArchiveFile=" + podArchive));
          inPodCds = podSession(plane, work, app, "footprint-50k-cds");
        }
        plane.sidecarFlags(List.of());
      }
      SessionTimeline timeline = SessionTimeline.of(inPod);
      SessionTimeline timelineCds = inPodCds == null ? null : SessionTimeline.of(inPodCds);

      Variant jdk = variants.get(0);
      Variant off = variants.get(1);
      Variant appCds = archived ? variants.get(2) : null;
      results.add(new BenchResults.Figure(SECTION, "sidecar peak RSS, local capture of 50k goroutines, image flags "
          + "(JDK default CDS)", jdk.peakMb(), "MB", "≤ 80 MB", jdk.allOk() && jdk.peakMb() <= 80, String.format(
              Locale.ROOT, "untuned (JVM defaults, no flags): %s MB, ready in %s ms, --help %s MB", PauseBench.fmt(
                  untuned.peakMb()), PauseBench.fmt(untuned.readyMs()), PauseBench.fmt(untuned.helpPeakMb())),
          COMMAND));
      double podMb = inPod.sidecarPeakRss() / MB;
      double podReady = timeline.stages().get(3).millis();
      boolean podOk = timeline.phase() == SessionPhase.Succeeded;
      results.add(new BenchResults.Figure(SECTION, "sidecar peak RSS in the pod (run mode), Goroutines + TraceStacks of "
          + "50k goroutines", podMb, "MB", "≤ 80 MB", podOk && podMb <= 80, String.format(Locale.ROOT,
              "session %s; with AppCDS %s MB; local capture mode, same captures: JDK CDS %s MB, -Xshare:off %s MB%s; "
                  + "--help %s MB; the operator reserves 96Mi (GOPHERSCOPE_SIDECAR_MEMORY)", timeline.phase(), inPodCds == null ? "n/a"
                  : PauseBench.fmt(inPodCds.sidecarPeakRss() / MB), PauseBench.fmt(jdk.peakMb()),
              PauseBench.fmt(off.peakMb()),
              appCds == null ? "" : ", AppCDS " + PauseBench.fmt(appCds.peakMb()) + " MB",
              PauseBench.fmt(jdk.helpPeakMb())), COMMAND));
      results.add(new BenchResults.Figure(SECTION, "sidecar ready in the pod (run mode): process start → target found, "
          + "Attached report stamped", podReady, "ms", "≤ 1 s", podOk && podReady >= 0 && podReady <= 1000,
          "JVM, plan, TLS client for the API server, target lookup; the whole session took "
              + PauseBench.fmt(timeline.totalMillis()) + " ms from kubectl apply", COMMAND));
      if (timelineCds != null) {
        double cdsReady = timelineCds.stages().get(3).millis();
        results.add(new BenchResults.Figure(SECTION, "sidecar ready in the pod (run mode) with an AppCDS archive",
            cdsReady, "ms", "≤ 1 s", timelineCds.phase() == SessionPhase.Succeeded && cdsReady >= 0 && cdsReady <= 1000,
            String.format(Locale.ROOT, "archive %s MiB, dumped by one run-mode sidecar at its exit; the whole session "
                + "took %s ms", PauseBench.fmt(Files.size(podArchive) / MIB), PauseBench.fmt(timelineCds.totalMillis())),
            COMMAND));
      }
      results.add(new BenchResults.Figure(SECTION, "sidecar ready, local capture: JVM spawn → target found, JDK "
          + "default CDS", jdk.readyMs(), "ms", "≤ 1 s", jdk.allOk() && jdk.readyMs() <= 1000, String.format(
              Locale.ROOT, "-Xshare:off %s ms; --help %s ms (-Xshare:off %s ms); whole 50k capture %s ms",
              PauseBench.fmt(off.readyMs()), PauseBench.fmt(jdk.helpMs()), PauseBench.fmt(off.helpMs()),
              PauseBench.fmt(jdk.captureMs())), COMMAND));
      if (appCds != null) {
        results.add(new BenchResults.Figure(SECTION, "sidecar ready, local capture, with an AppCDS archive",
            appCds.readyMs(), "ms", "≤ 1 s", appCds.allOk() && appCds.readyMs() <= 1000, String.format(Locale.ROOT,
                "%s ms sooner than the JDK's CDS; archive %s MiB, dumped by one training capture (%s ms); --help %s ms; "
                    + "whole 50k capture %s ms", PauseBench.fmt(jdk.readyMs() - appCds.readyMs()),
                PauseBench.fmt(Files.size(archive) / MIB), PauseBench.fmt(training.wallMs()),
                PauseBench.fmt(appCds.helpMs()), PauseBench.fmt(appCds.captureMs())), COMMAND));
      }
      results.note(SECTION, "**Sidecar.** The JVM flags are the sidecar image's entrypoint, read from "
          + "sidecar/pom.xml (`" + String.join(" ", SidecarJvm.imageFlags(repo)) + "`), on this machine's JDK "
          + "(the image carries a jlinked JRE of the same JDK with its default CDS archive). The pod figure is the "
          + "real sidecar in `run` mode, started by the kubelet stand-in for a Goroutines + TraceStacks session "
          + "against the demo with 50,000 parked goroutines; local capture mode (`SidecarMain capture`, same "
          + "captures) compares class-data sharing: the JDK's default archive, none (-Xshare:off), and an AppCDS "
          + "archive dumped with -XX:ArchiveClassesAtExit at the end of one training capture, and the untuned JVM "
          + "(no flags at all: default heap sizing, G1, tiered C2) for what the tuning saves. 'Ready' is from "
          + "spawning the JVM to its first progress line (plan read, target found): the moment it can capture. Peak "
          + "RSS is VmHWM sampled from /proc every 5 ms (worst of " + RUNS + " runs; ready and capture times are "
          + "medians of " + RUNS + "). MB = 10^6 bytes.");
      if (!podOk || podMb > 80) {
        results.note(SECTION, "**Missed: sidecar RSS " + PauseBench.fmt(podMb) + " MB in the pod against 80 MB** "
            + (podOk ? "" : "(the session ended " + timeline.phase() + ": " + timeline.message() + ") ")
            + "The heap is capped at -Xmx48m; the rest is the JVM itself (metaspace for Jackson, the fabric8-free "
            + "HTTP/TLS stack and protobuf, code cache, thread stacks, the CDS mapping). What would close it: "
            + "the AppCDS archive in the image (shared, read-only class data instead of parsed classes), fewer "
            + "classes on the pod path, a smaller -Xss or fewer threads.");
      }
      if (podReady > 1000 || jdk.readyMs() > 1000) {
        results.note(SECTION, "**Missed: ready in " + PauseBench.fmt(Math.max(podReady, jdk.readyMs()))
            + " ms against 1 s** (in the pod's run mode; local capture mode, which needs no API server, is ready in "
            + PauseBench.fmt(jdk.readyMs()) + " ms). Where it goes: class loading and C1 compilation on 2 busy cores, "
            + "most of it for the run mode's extra work before the first capture (parsing the plan, building a TLS "
            + "context from the API server's CA, then the first status write). What would close it: ship an AppCDS "
            + "archive in the image (" + (timelineCds == null ? "not measured"
                : PauseBench.fmt(timelineCds.stages().get(3).millis()) + " ms in the pod with one here") + "), and "
            + "build the TLS context while the target lookup runs rather than before it.");
      }
    }
  }

  private record Point(String name, DwarfSize size, DlvMemory.Measured measured) {

    double x() {
      return size.inflatedBytes() / MIB;
    }

    double y() {
      return measured.peakRss() / MIB;
    }
  }

  private static void dlv(BenchResults results, Path repo, Path work) throws Exception {
    TestEnvironment env = TestEnvironment.get();
    Path dlv = env.dlv();
    Path logs = repo.resolve("bench/target/logs");
    List<DwarfBinaries.Binary> linked = DwarfBinaries.all(repo);
    Map<String, Path> binaries = new LinkedHashMap<>();
    Map<String, List<String>> args = new LinkedHashMap<>();
    binaries.put("demo-service", env.demoService());
    args.put("demo-service", List.of("-h"));
    binaries.put("dlv", dlv);
    args.put("dlv", List.of("version"));
    List<String> problems = new ArrayList<>();
    for (DwarfBinaries.Binary b : linked) {
      if (b.ok()) {
        binaries.put(b.name(), b.path());
        args.put(b.name(), List.of("--help"));
      } else {
        problems.add(b.name() + ": " + b.problem());
      }
    }
    List<Point> points = new ArrayList<>();
    for (Map.Entry<String, Path> b : binaries.entrySet()) {
      System.out.println("[bench] footprint: dlv exec " + b.getKey());
      points.add(new Point(b.getKey(), DwarfSize.of(b.getValue()), DlvMemory.exec(dlv, b.getValue(),
          args.get(b.getKey()), logs.resolve("dlv-exec-" + b.getKey() + ".log"))));
    }
    DlvMemory.Measured small;
    DlvMemory.Measured large;
    try (DemoService app = DemoService.start("gs-footprint", 0)) {
      app.inFlight("/work/block?ms=600000", TRACEPARENT);
      PauseBench.sleep(300);
      small = DlvMemory.attachAndList(dlv, app.pid(), "traceparent", TRACEPARENT);
    }
    try (DemoService app = DemoService.start("gs-footprint", GOROUTINES)) {
      app.inFlight("/work/block?ms=600000", TRACEPARENT);
      PauseBench.sleep(1000);
      large = DlvMemory.attachAndList(dlv, app.pid(), "traceparent", TRACEPARENT);
    }

    double[] fit = fit(points.stream().map(Point::x).toList(), points.stream().map(Point::y).toList());
    double[] byFile = fit(points.stream().map(p -> p.size().fileBytes() / MIB).toList(),
        points.stream().map(Point::y).toList());
    double maxAbs = 0;
    double maxRel = 0;
    double maxRelByFile = 0;
    for (Point p : points) {
      double predicted = fit[0] + fit[1] * p.x();
      maxAbs = Math.max(maxAbs, Math.abs(predicted - p.y()));
      maxRel = Math.max(maxRel, Math.abs(predicted - p.y()) / p.y());
      double predictedByFile = byFile[0] + byFile[1] * p.size().fileBytes() / MIB;
      maxRelByFile = Math.max(maxRelByFile, Math.abs(predictedByFile - p.y()) / p.y());
    }
    double perGoroutine = Math.max(0, (large.peakRss() - small.peakRss()) / (double) GOROUTINES);
    double helpers = points.stream().mapToLong(p -> p.measured().helpersRss()).max().orElse(0) / MIB;
    Point biggest = points.stream().max(java.util.Comparator.comparingDouble(Point::x)).orElseThrow();

    String relinkTimes = String.join(", ", linked.stream().filter(DwarfBinaries.Binary::ok)
        .map(b -> b.name() + " " + PauseBench.fmt(b.buildSeconds()) + " s" + (b.cached() ? " (cached from an earlier run)"
            : "")).toList());
    linked.stream().filter(b -> b.ok() && b.name().equals("kube-apiserver")).findFirst().ifPresent(b ->
        results.add(new BenchResults.Figure(SECTION, "relink kube-apiserver with DWARF (Go build cache warm)",
            b.buildSeconds(), "s", null, null, relinkTimes, COMMAND)));
    for (Point p : points) {
      double predicted = fit[0] + fit[1] * p.x();
      results.add(new BenchResults.Figure(SECTION, String.format(Locale.ROOT, "dlv RSS loaded with %s (%s MiB DWARF "
          + "inflated, %s MiB file)", p.name(), PauseBench.fmt(p.x()), PauseBench.fmt(p.size().fileBytes() / MIB)),
          p.y(), "MiB", "≤ 256 MiB (GOPHERSCOPE_DLV_MEMORY)", p.measured().peakRss() <= DLV_DEFAULT, String.format(
              Locale.ROOT, "model %s MiB (%+.0f%%); loaded in %s ms; its telemetry child %s MiB more",
              PauseBench.fmt(predicted), (predicted - p.y()) / p.y() * 100, PauseBench.fmt(p.measured().millis()),
              PauseBench.fmt(p.measured().helpersRss() / MIB)), COMMAND));
    }
    results.add(new BenchResults.Figure(SECTION, "dlv RSS attached to the live demo, 50k goroutines, label-filtered "
        + "listing", large.peakRss() / MIB, "MiB", "≤ 256 MiB (GOPHERSCOPE_DLV_MEMORY)", large.peakRss() <= DLV_DEFAULT,
        String.format(Locale.ROOT, "demo with no parked goroutines: %s MiB, so +%s KiB per goroutine; the listing "
                + "(%d matched) paused the target %s ms; dlv-guard + telemetry child %s MiB more",
            PauseBench.fmt(small.peakRss() / MIB), PauseBench.fmt(perGoroutine / 1024), large.goroutines(),
            PauseBench.fmt(large.millis()), PauseBench.fmt(large.helpersRss() / MIB)), COMMAND));
    results.add(new BenchResults.Figure(SECTION, "model dlv RSS ≈ a + b·DWARF: largest error", maxRel * 100, "%",
        null, null, String.format(Locale.ROOT, "a = %s MiB, b = %s MiB per MiB of inflated DWARF, over %d binaries; "
                + "largest error %s MiB; by file size instead: largest error %.0f%%",
            PauseBench.fmt(fit[0]), BenchResults.format(Math.round(fit[1] * 1000) / 1000.0), points.size(),
            PauseBench.fmt(maxAbs), maxRelByFile * 100), COMMAND));
    // What a flat default must cover: the largest binary here with a busy goroutine count, dlv's
    // helpers, and the model's largest error.
    double needed = (fit[0] + fit[1] * biggest.x() + perGoroutine * SIZING_GOROUTINES / MIB + helpers)
        * (1 + maxRel);
    long recommendedMib = (long) Math.ceil(needed / 64) * 64;
    double coveredDwarf = ((DLV_DEFAULT / MIB) / (1 + maxRel) - helpers - perGoroutine * SIZING_GOROUTINES / MIB
        - fit[0]) / fit[1];
    results.add(new BenchResults.Figure(SECTION, "GOPHERSCOPE_DLV_MEMORY for " + biggest.name() + "-sized binaries "
        + "with " + SIZING_GOROUTINES / 1000 + "k goroutines", recommendedMib, "MiB", null, null, String.format(
            Locale.ROOT, "the 256Mi default covers up to %s MiB of inflated DWARF at %dk goroutines (%s has %s MiB)",
            PauseBench.fmt(Math.max(0, coveredDwarf)), SIZING_GOROUTINES / 1000, biggest.name(),
            PauseBench.fmt(biggest.x())), COMMAND));
    results.note(SECTION, "**dlv.** Each binary is loaded with `dlv exec --headless` (stopped at its entry point, "
        + "so only the binary counts); RSS is dlv's VmHWM once State and ListGoroutines have been answered. The "
        + "test environment's kube-apiserver, kubectl and etcd are built with `-s -w`, which dlv cannot read, so "
        + "the same modules are linked again without those flags into bench/target/dwarf-bin (" + relinkTimes
        + "). DWARF size is the sum of the `.debug_*` sections as Delve sees them after inflating (Go compresses "
        + "them; the size is read from each section's ELF compression header). The live figures attach dlv the "
        + "way the sidecar does (through dlv-guard when present) and list, in one halt, the goroutines labelled with "
        + "one traceparent: Delve reads every goroutine to apply the filter, so its memory grows with the "
        + "goroutine count (the naive full listings of figure 1 show the same: see the dlv peak RSS there). "
        + "dlv " + env.version("DELVE_VERSION") + " also starts a Go telemetry child process whenever it finds a "
        + "writable config directory and telemetry is not off (measured apart above); the sidecar can prevent it by "
        + "giving dlv a config directory whose telemetry mode is off. **Model:** least squares over the binaries, "
        + "RSS ≈ " + PauseBench.fmt(fit[0]) + " MiB + " + BenchResults.format(Math.round(fit[1] * 1000) / 1000.0)
        + " × inflated DWARF, plus about " + PauseBench.fmt(perGoroutine / 1024) + " KiB per goroutine while "
        + "listing. The operator cannot see the binary before injecting, so its default must be flat: "
        + recommendedMib + " MiB covers a " + biggest.name() + "-sized binary with " + SIZING_GOROUTINES / 1000
        + "k goroutines, dlv's helpers and the model's largest error; the 256Mi default covers binaries up to "
        + "about " + PauseBench.fmt(Math.max(0, coveredDwarf)) + " MiB of inflated DWARF."
        + (problems.isEmpty() ? "" : " Not measured: " + String.join("; ", problems) + "."));
    if (points.stream().anyMatch(p -> p.measured().peakRss() > DLV_DEFAULT) || large.peakRss() > DLV_DEFAULT) {
      results.note(SECTION, "**Missed: dlv needs more than the 256Mi GOPHERSCOPE_DLV_MEMORY default** for large "
          + "binaries or many goroutines (above). A pre-flight that reserves 256Mi would let the app be OOM-killed. "
          + "What would close it: raise the default to " + recommendedMib + "Mi (the chart's sidecar.dlvMemory), or "
          + "let the sidecar size its reservation from the target's DWARF with the model above before it starts "
          + "dlv, refusing when the pod's headroom is short.");
    }
  }

  private static LocalControlPlane.Observed podSession(LocalControlPlane plane, Path work, DemoService app, String name)
      throws Exception {
    plane.runPod("bench-footprint", name);
    Path yaml = work.resolve(name + ".yaml");
    Files.writeString(yaml, SessionLatencyBench.sessionYaml(name, name, app, TRACEPARENT, ""));
    return plane.apply("bench-footprint", name, yaml, Duration.ofMinutes(2));
  }

  /** Least squares y ≈ a + b·x; {a, b}. */
  static double[] fit(List<Double> xs, List<Double> ys) {
    int n = xs.size();
    double mx = xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double my = ys.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (xs.get(i) - mx) * (ys.get(i) - my);
      sxx += (xs.get(i) - mx) * (xs.get(i) - mx);
    }
    double b = sxx == 0 ? 0 : sxy / sxx;
    return new double[] {my - b * mx, b};
  }

  private static List<String> capture(DemoService app, Path session, Path work) {
    return List.of("capture", "--pid", String.valueOf(app.pid()), "-f", session.toString(), "--out",
        PauseBench.fresh(work.resolve("capture-out")).toString());
  }

}
