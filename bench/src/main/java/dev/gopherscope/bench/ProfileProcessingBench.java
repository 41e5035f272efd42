package dev.gopherscope.bench;

import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issues 7 and 13, figure 2: what the sidecar does to a profile (decode, label-filter, compact,
 * encode) against {@code go tool pprof -tagfocus ... -proto} on the same file, on several shapes of
 * profile, with the sidecar's code run the way a session's first capture runs it: in a JVM that
 * has just started, with the image's flags and the sidecar's classpath, on a cold JIT.
 */
final class ProfileProcessingBench {

  static final String SECTION = "2. Profile processing: the sidecar's first profile against go tool pprof";

  private static final String COMMAND = "make bench BENCH=profile-processing";
  private static final Pattern WORK_MS = Pattern.compile("work-ms=([0-9.]+)");
  private static final Pattern CPU_MS = Pattern.compile("cpu-ms=([0-9.]+)");
  private static final int RUNS = 3;
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s");

  /** One profile to process: how bench/gen-profile writes it, and the filter applied (null: none). */
  record Shape(String name, String file, List<String> generate, String label, String description) {
  }

  static final List<Shape> SHAPES = List.of(
      new Shape("50k goroutines", "goroutines-50k.pb.gz", List.of("50000"), "route=/idle",
          "50,000 parked goroutines on 7 distinct stacks, each with its own traceparent/trace_id/span_id labels"),
      new Shape("100k goroutines", "goroutines-100k.pb.gz", List.of("100000"), "route=/idle",
          "the same with 100,000 goroutines"),
      new Shape("50k distinct stacks", "goroutines-distinct-50k.pb.gz",
          List.of("-shape=goroutines-distinct", "50000"), "route=/idle",
          "50,000 goroutines, each on its own stack about 36 frames deep, with per-goroutine labels"),
      new Shape("CPU profile", "cpu-3s.pb.gz", List.of("-shape=cpu", "3000"), "route=/idle",
          "3 s of CPU profile of two workers serving short requests, each with its own labels, over 64 stacks"),
      new Shape("heap profile", "heap-100k.pb.gz", List.of("-shape=heap", "100000"), null,
          "every allocation of 100,000 live objects from 4,096 stacks; no filter (Go records no labels in heap "
              + "profiles, so the sidecar filters none: decode and encode only, against go tool pprof -proto)"));

  private ProfileProcessingBench() {
  }

  static void run(BenchResults results, Path repo) throws Exception {
    Path work = repo.resolve("bench/target/profiles");
    Files.createDirectories(work);
    Path generator = work.resolve("gen-profile");
    Timing.commandMillis(List.of("go", "-C", repo.resolve("bench/gen-profile").toString(), "build", "-o",
        generator.toString(), "."), null, Map.of(), 1);
    List<String> flags = SidecarJvm.imageFlags(repo);
    String classpath = Path.of(ProfileFilterMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        + ":" + SidecarJvm.classpath(repo);
    results.note(SECTION, "Each profile is written by bench/gen-profile (kept under bench/target/profiles). "
        + "**Fresh JVM** "
        + "runs the sidecar's code (bench's ProfileFilterMain: PprofDecoder, SampleFilter with ProfileCompaction, "
        + "PprofEncoder) as its own process with the sidecar image's JVM flags (`" + String.join(" ", flags)
        + "`) and the sidecar's classpath, as a session's first capture runs it; the time is spawn to exit, the way "
        + "`go tool pprof` is measured, and the comparison also gives the profile work alone inside that JVM (its "
        + "first call, cold JIT, JVM start excluded). **AppCDS** is the same with an archive of the classes one "
        + "training run loaded (-XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile). **Warm** is the code in a "
        + "long-lived JVM (the benchmark's own) after 5 runs. Medians of " + RUNS + " (fresh, AppCDS, go) and 7 "
        + "(warm); peak RSS is the worst fresh run. 'Kept' compares the total of the first sample type of both "
        + "outputs.");
    for (Shape shape : SHAPES) {
      Path input = work.resolve(shape.file());
      if (!Files.exists(input)) {
        List<String> generate = new ArrayList<>(List.of(generator.toString()));
        generate.addAll(shape.generate());
        generate.add(input.toString());
        Timing.commandMillis(generate, null, Map.of(), 1);
      }
      measure(results, work, shape, input, flags, classpath);
    }
  }

  private static void measure(BenchResults results, Path work, Shape shape, Path input, List<String> flags,
      String classpath) throws Exception {
    String base = shape.file().replace(".pb.gz", "");
    byte[] bytes = Files.readAllBytes(input);
    PprofProfile original = new PprofDecoder().decode(bytes);
    String name = shape.name() + " (" + String.format(Locale.ROOT, "%,d", original.samples().size()) + " samples, "
        + bytes.length / 1024 + " KiB)";

    Path goOut = work.resolve(base + ".go.pb.gz");
    List<String> go = new ArrayList<>(List.of("go", "tool", "pprof"));
    if (shape.label() != null) {
      String[] pair = shape.label().split("=", 2);
      // pprof reads the value as a regular expression: anchored, it keeps exactly this value.
      go.add("-tagfocus=" + pair[0] + "=^" + pair[1] + "$");
    }
    go.addAll(List.of("-proto", input.toString()));
    Fresh goRun = goRuns(go, goOut);
    double goMs = goRun.wallMs();

    Path javaOut = work.resolve(base + ".java.pb.gz");
    List<String> args = List.of(input.toString(), javaOut.toString(), shape.label() == null ? "-" : shape.label());
    Fresh fresh = fresh(flags, List.of(), classpath, args);
    results.add(new BenchResults.Figure(SECTION, name + ": go tool pprof", goMs, "ms", null, null,
        shape.description(), COMMAND));
    if (fresh.failure() != null) {
      results.add(new BenchResults.Figure(SECTION, name + ": sidecar code, fresh JVM", -1, "ms", "≤ go's time", false,
          "**failed**: " + fresh.failure(), COMMAND));
      return;
    }
    Path archive = work.resolve(base + ".jsa");
    Files.deleteIfExists(archive);
    Fresh training = fresh(flags, List.of("-XX:ArchiveClassesAtExit=" + archive), classpath, args);
    Fresh cds = training.failure() != null ? training
        : fresh(flags, List.of("-XX:SharedArchiveFile=" + archive), classpath, args);
    LabelMatcher matcher = shape.label() == null ? LabelMatcher.any()
        : LabelMatcher.any().withLabel(shape.label().split("=", 2)[0], shape.label().split("=", 2)[1]);
    Path warmOut = work.resolve(base + ".warm.pb.gz");
    double warm = Timing.codeMillis(5, 7, () -> ProfileFilterMain.filter(input, warmOut, matcher));

    results.add(new BenchResults.Figure(SECTION, name + ": sidecar code, fresh JVM", fresh.wallMs(), "ms",
        "≤ go's time", fresh.wallMs() <= goMs, String.format(Locale.ROOT,
            "%.2f× go's time; the profile work inside it %.0f ms; peak RSS %.1f MiB; with AppCDS %s; warm %.0f ms",
            goMs / fresh.wallMs(), fresh.workMs(), fresh.peakRssBytes() / 1048576.0,
            cds.failure() != null ? "failed: " + cds.failure()
                : String.format(Locale.ROOT, "%.0f ms (work %.0f ms)", cds.wallMs(), cds.workMs()), warm),
        COMMAND));
    long ours = new PprofDecoder().decode(Files.readAllBytes(javaOut)).total(0);
    long theirs = new PprofDecoder().decode(Files.readAllBytes(goOut)).total(0);
    String unit = original.string(original.sampleTypes().get(0).type());
    results.add(new BenchResults.Figure(SECTION, name + ": kept, ours vs go's", ours, unit, "equal", ours == theirs,
        String.format(Locale.ROOT, "go kept %d of %d", theirs, original.total(0)), COMMAND));
    results.add(new BenchResults.Figure(SECTION, name + ": CPU time, fresh JVM", fresh.cpuMs(), "ms",
        "≤ go's CPU time", fresh.cpuMs() <= goRun.cpuMs(), String.format(Locale.ROOT, "go tool pprof used %.0f ms; "
            + "user + sys of the whole process, all threads (JIT, GC), median: unlike wall time, it does not grow "
            + "while other work holds the cores", goRun.cpuMs()), COMMAND));
  }

  /**
   * {@code go tool pprof} runs: median wall time, and median CPU time of it and its children (the
   * pprof binary it runs), read from bash's {@code times}.
   */
  private static Fresh goRuns(List<String> go, Path out) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", "-c", "out=$1; shift; \"$@\" > \"$out\" || exit 1; times",
        "bash", out.toString()));
    command.addAll(go);
    List<Double> walls = new ArrayList<>();
    List<Double> cpus = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String times = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("benchmark command failed: " + go);
      }
      walls.add((System.nanoTime() - start) / 1e6);
      // The second line of `times` is the children's user and system time: "0m0.512s 0m0.040s".
      Matcher child = TIMES.matcher(times.lines().skip(1).findFirst().orElse(""));
      double cpu = 0;
      while (child.find()) {
        cpu += (Integer.parseInt(child.group(1)) * 60 + Double.parseDouble(child.group(2))) * 1000;
      }
      cpus.add(cpu);
    }
    return new Fresh(Timing.median(walls), -1, Timing.median(cpus), 0, null);
  }

  /** Medians of fresh runs of ProfileFilterMain, or why it failed. */
  private record Fresh(double wallMs, double workMs, double cpuMs, long peakRssBytes, String failure) {
  }

  private static Fresh fresh(List<String> imageFlags, List<String> extraFlags, String classpath, List<String> args) {
    List<String> command = new ArrayList<>(List.of(SidecarJvm.java()));
    command.addAll(imageFlags);
    command.addAll(extraFlags);
    command.addAll(List.of("-cp", classpath, ProfileFilterMain.class.getName()));
    command.addAll(args);
    List<Double> walls = new ArrayList<>();
    List<Double> works = new ArrayList<>();
    List<Double> cpus = new ArrayList<>();
    long peak = 0;
    // A training run (ArchiveClassesAtExit) is one run: its dump is not what is measured.
    int runs = extraFlags.stream().anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit")) ? 1 : RUNS;
    for (int i = 0; i < runs; i++) {
      SidecarJvm.Run run = SidecarJvm.run(command);
      if (run.exit() != 0) {
        String last = run.stderr().isEmpty() ? "no output" : run.stderr().get(run.stderr().size() - 1);
        String why = run.exit() == 3 ? "ExitOnOutOfMemoryError: the heap ran out at the image's -Xmx" : last;
        return new Fresh(-1, -1, -1, run.peakRssBytes(), "exit " + run.exit() + " (" + why + ")");
      }
      walls.add(run.wallMs());
      works.add(run.number(WORK_MS));
      cpus.add(run.number(CPU_MS));
      peak = Math.max(peak, run.peakRssBytes());
    }
    return new Fresh(Timing.median(walls), Timing.median(works), Timing.median(cpus), peak, null);
  }
}
