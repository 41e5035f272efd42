package dev.gopherscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real sidecar as its own JVM, with the flags of the sidecar image (read from the image's
 * entrypoint in sidecar/pom.xml, so the benchmark follows the image), timed and sampled from /proc.
 */
final class SidecarJvm {

  static final String MAIN = "dev.gopherscope.sidecar.app.SidecarMain";
  private static final Pattern ENTRYPOINT = Pattern.compile("<entrypoint>(.*?)</entrypoint>", Pattern.DOTALL);
  private static final Pattern ARG = Pattern.compile("<arg>([^<]*)</arg>");

  private SidecarJvm() {
  }

  /** The JVM flags of the image's entrypoint: everything between {@code java} and {@code -cp}. */
  static List<String> imageFlags(Path repo) {
    try {
      Matcher entrypoint = ENTRYPOINT.matcher(Files.readString(repo.resolve("sidecar/pom.xml")));
      if (!entrypoint.find()) {
        throw new IllegalStateException("sidecar/pom.xml has no <entrypoint>: cannot read the image's JVM flags");
      }
      List<String> args = new ArrayList<>();
      Matcher arg = ARG.matcher(entrypoint.group(1));
      while (arg.find()) {
        args.add(arg.group(1).trim());
      }
      int cp = args.indexOf("-cp");
      if (cp < 1) {
        throw new IllegalStateException("the image's entrypoint has no -cp: " + args);
      }
      return List.copyOf(args.subList(1, cp));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String classpath(Path repo) {
    try {
      return repo.resolve("sidecar/target/gopherscope-sidecar-0.1.0-SNAPSHOT.jar") + ":"
          + Files.readString(repo.resolve("sidecar/target/classpath.txt")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("build the sidecar first (make bench does)", e);
    }
  }

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** {@code java <image flags> <extra flags> -cp ... SidecarMain <args>}. */
  static List<String> command(Path repo, List<String> extraFlags, List<String> args) {
    List<String> flags = new ArrayList<>(imageFlags(repo));
    flags.addAll(extraFlags);
    return commandWithFlags(repo, flags, args);
  }

  /** {@code java <flags> -cp ... SidecarMain <args>}: exactly these flags, not the image's. */
  static List<String> commandWithFlags(Path repo, List<String> flags, List<String> args) {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(flags);
    command.addAll(List.of("-cp", classpath(repo), MAIN));
    command.addAll(args);
    return command;
  }

  /**
   * One sidecar run.
   *
   * @param readyMs from spawning the JVM to its first progress line (plan read, target found), -1 if none
   * @param startNanos when it was spawned ({@link System#nanoTime()})
   * @param endNanos when it had exited
   */
  record Run(double readyMs, double wallMs, long peakRssBytes, int exit, List<String> stderr, long startNanos,
      long endNanos) {

    /** The number in the first progress line that matches {@code pattern}'s first group, or -1. */
    double number(Pattern pattern) {
      for (String line : stderr) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return Double.parseDouble(m.group(1));
        }
      }
      return -1;
    }
  }

  /** Runs {@code command} to its end, sampling its memory every 5 ms; stdout is discarded. */
  static Run run(List<String> command) {
    List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    Process process;
    try {
      process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the sidecar: " + command, e);
    }
    long[] firstLine = {-1};
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (firstLine[0] < 0) {
            firstLine[0] = System.nanoTime();
          }
          stderr.add(line);
        }
      } catch (IOException e) {
        // The process is gone; what was read is kept.
      }
    }, "sidecar-stderr");
    reader.setDaemon(true);
    reader.start();
    try (ProcessWatch watch = ProcessWatch.start(process.pid(), 5)) {
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("the sidecar ran for over 5 minutes: " + command);
      }
      long end = System.nanoTime();
      reader.join(5000);
      return new Run(firstLine[0] < 0 ? -1 : (firstLine[0] - start) / 1e6, (end - start) / 1e6, watch.peakRssBytes(),
          process.exitValue(), List.copyOf(stderr), start, end);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException(e);
    }
  }

  /** The first capture of a local run's report.json. */
  static JsonNode firstCapture(Path outDir) {
    try {
      return JsonMapper.builder().build().readTree(outDir.resolve("report.json").toFile()).path("captures").path(0);
    } catch (IOException e) {
      throw new UncheckedIOException("the sidecar wrote no report.json in " + outDir, e);
    }
  }
}
