package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/** {@code go tool pprof}, the reader every .pb.gz the sidecar writes must satisfy. */
final class GoPprofTool {

  private static final Pattern SAMPLE = Pattern.compile("^\\s*(-?\\d+)(?:\\s+-?\\d+)*:");

  private GoPprofTool() {
  }

  /** Skips the calling test, saying why, when there is no Go toolchain. */
  static void assumeAvailable() {
    boolean found = false;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      found |= Files.isExecutable(Path.of(dir, "go"));
    }
    Assumptions.assumeTrue(found, "go is not on PATH: skipping the checks with go tool pprof");
  }

  /** {@code go tool pprof <args>}'s stdout; fails the test with pprof's stderr when it fails. */
  static String run(String... args) {
    List<String> command = new ArrayList<>(List.of("go", "tool", "pprof"));
    command.addAll(List.of(args));
    try {
      Path err = Files.createTempFile("pprof", ".err");
      Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("go tool pprof did not finish in 120 s: " + command);
      }
      String stderr = Files.readString(err);
      Files.delete(err);
      if (process.exitValue() != 0) {
        fail(command + " exited " + process.exitValue() + ": " + stderr);
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The sum over the samples {@code -raw} printed of their first value (goroutines, CPU samples). */
  static long rawTotal(String raw) {
    long total = 0;
    boolean samples = false;
    for (String line : raw.split("\n")) {
      if (line.startsWith("Samples:")) {
        samples = true;
      } else if (line.startsWith("Locations")) {
        samples = false;
      } else if (samples) {
        Matcher m = SAMPLE.matcher(line);
        if (m.find()) {
          total += Long.parseLong(m.group(1));
        }
      }
    }
    return total;
  }
}
