package dev.gopherscope.sidecar.capture.delve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in sidecar's JVM, to be killed by a fault test, and the lines it prints.
 *
 * @param process the JVM, to SIGKILL
 */
record StandInJvm(Process process, BlockingQueue<String> lines) {

  /** Runs {@code main} with {@code args} in a JVM of its own on this test's class path. */
  static StandInJvm start(Class<?> main, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        out.lines().forEach(lines::add);
      } catch (IOException | java.io.UncheckedIOException e) {
        // killed while we read
      }
    }, "stand-in-output");
    reader.setDaemon(true);
    reader.start();
    return new StandInJvm(process, lines);
  }

  /** The first line matching {@code pattern}, within 60 s. */
  Matcher await(Pattern pattern) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line == null) {
        continue;
      }
      seen.add(line);
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
    throw new AssertionError("the stand-in sidecar never printed " + pattern + "; it said:\n" + String.join("\n", seen));
  }
}
