package dev.gopherscope.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Wall-clock timing of commands and code, reported as the median of several runs. */
final class Timing {

  private Timing() {
  }

  /** Median milliseconds of {@code runs} runs of {@code command}; fails if the command fails. */
  static double commandMillis(List<String> command, Path stdout, Map<String, String> env, int runs)
      throws IOException, InterruptedException {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
      builder.environment().putAll(env);
      if (stdout != null) {
        builder.redirectOutput(stdout.toFile());
      } else {
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      }
      long start = System.nanoTime();
      Process process = builder.start();
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("benchmark command failed: " + command);
      }
      times.add((System.nanoTime() - start) / 1e6);
    }
    return median(times);
  }

  /** Median milliseconds of the last {@code measured} of {@code warmup + measured} runs. */
  static double codeMillis(int warmup, int measured, ThrowingRunnable body) throws Exception {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < warmup + measured; i++) {
      long start = System.nanoTime();
      body.run();
      if (i >= warmup) {
        times.add((System.nanoTime() - start) / 1e6);
      }
    }
    return median(times);
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
