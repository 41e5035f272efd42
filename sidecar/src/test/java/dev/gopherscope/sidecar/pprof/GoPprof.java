package dev.gopherscope.sidecar.pprof;

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

/** Runs the real {@code go tool pprof} on files, to check our output and totals against it. */
public final class GoPprof {

  private static final Pattern SAMPLE_LINE = Pattern.compile("^\\s*(-?\\d+)(?:\\s+-?\\d+)*:");

  private GoPprof() {
  }

  /** Skips the calling test, saying why, when there is no Go toolchain to compare with. */
  public static void assumeAvailable() {
    boolean found = false;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      found |= Files.isExecutable(Path.of(dir, "go"));
    }
    Assumptions.assumeTrue(found, "go is not on PATH: skipping the cross-check against go tool pprof");
  }

  /** {@code go tool pprof <args>}; fails the test with pprof's stderr if it exits non-zero. */
  public static String run(String... args) {
    return goTool("pprof", args);
  }

  /** {@code go tool <tool> <args>} (e.g. trace); fails the test with its stderr if it exits non-zero. */
  public static String goTool(String tool, String... args) {
    List<String> command = new ArrayList<>(List.of("go", "tool", tool));
    command.addAll(List.of(args));
    try {
      Path err = Files.createTempFile("pprof", ".err");
      Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail(command + " did not finish in 120 s");
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

  /** The sum of the first value over the samples that {@code go tool pprof -raw} printed. */
  public static long rawTotal(String rawOutput) {
    long total = 0;
    boolean inSamples = false;
    for (String line : rawOutput.split("\n")) {
      if (line.startsWith("Samples:")) {
        inSamples = true;
      } else if (line.startsWith("Locations")) {
        inSamples = false;
      } else if (inSamples) {
        Matcher m = SAMPLE_LINE.matcher(line);
        if (m.find()) {
          total += Long.parseLong(m.group(1));
        }
      }
    }
    return total;
  }
}
