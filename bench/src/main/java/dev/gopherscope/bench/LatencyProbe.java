package dev.gopherscope.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends one request after another to the demo (one connection, no think time) and keeps each
 * request's start and latency, so latencies can be cut by the windows in which something else ran.
 */
final class LatencyProbe implements AutoCloseable {

  record Sample(long startNanos, double millis) {
  }

  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile String failure;

  private LatencyProbe(DemoService app, String path) {
    thread = new Thread(() -> {
      while (running.get()) {
        long start = System.nanoTime();
        try {
          app.get(path);
        } catch (RuntimeException e) {
          failure = e.toString();
          return;
        }
        samples.add(new Sample(start, (System.nanoTime() - start) / 1e6));
      }
    }, "latency-probe");
    thread.setDaemon(true);
  }

  static LatencyProbe start(DemoService app, String path) {
    LatencyProbe probe = new LatencyProbe(app, path);
    probe.thread.start();
    return probe;
  }

  /** Latencies of the requests that started within {@code [from, to]}. */
  List<Double> between(long from, long to) {
    synchronized (samples) {
      return samples.stream().filter(s -> s.startNanos() >= from && s.startNanos() <= to).map(Sample::millis).toList();
    }
  }

  int count() {
    return samples.size();
  }

  String failure() {
    return failure;
  }

  /** The {@code p}-th percentile (nearest rank) of {@code values}, in their unit; NaN if empty. */
  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(65_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
