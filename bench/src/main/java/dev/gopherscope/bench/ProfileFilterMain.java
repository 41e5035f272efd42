package dev.gopherscope.bench;

import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.PprofEncoder;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.SampleFilter;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the sidecar does to a profile, as its own process (to compare end to end with
 * {@code go tool pprof -tagfocus ... -proto}): decode, keep the samples whose label matches, encode.
 * Usage: {@code ProfileFilterMain IN OUT key=value}, or {@code -} instead of {@code key=value} for
 * no filter (as the sidecar treats heap profiles). It prints {@code work-ms=...} to stderr: from
 * its first line to the output written, the profile work on a cold JIT without the JVM's start;
 * and {@code cpu-ms=...}: the CPU time of the whole process so far (JIT and GC threads included),
 * which, unlike wall time, does not grow while other work on the machine holds the cores.
 */
public final class ProfileFilterMain {

  private ProfileFilterMain() {
  }

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    LabelMatcher matcher = LabelMatcher.any();
    if (!args[2].equals("-")) {
      String[] label = args[2].split("=", 2);
      matcher = matcher.withLabel(label[0], label[1]);
    }
    filter(Path.of(args[0]), Path.of(args[1]), matcher);
    System.err.printf(Locale.ROOT, "work-ms=%.1f%n", (System.nanoTime() - start) / 1e6);
    ProcessHandle.current().info().totalCpuDuration()
        .ifPresent(cpu -> System.err.printf(Locale.ROOT, "cpu-ms=%d%n", cpu.toMillis()));
  }

  static void filter(Path in, Path out, LabelMatcher matcher) throws Exception {
    PprofProfile profile;
    try (InputStream input = Files.newInputStream(in)) {
      profile = new PprofDecoder().decode(input);
    }
    PprofProfile kept = new SampleFilter(matcher).apply(profile);
    try (OutputStream output = Files.newOutputStream(out)) {
      PprofEncoder.write(kept, output);
    }
  }
}
