package dev.gopherscope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client threads sending one kind of request to a server on this machine, back to back, until
 * closed (or for at most 15 minutes, or a million requests). It keeps each request's start and end
 * so that the longest request overlapping a window of interest (a debugger's attach) can be told.
 */
final class RequestLoad implements AutoCloseable {

  private static final long MAX_NANOS = 15L * 60 * 1_000_000_000L;
  private static final long MAX_REQUESTS = 1_000_000;

  private final Timing.ThrowingRunnable request;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<long[]> spans = new ArrayList<>(); // {start, end} of each request, nanoTime
  private final List<long[]> windows = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final long started = System.nanoTime();
  private volatile long stoppedAt;

  private RequestLoad(Timing.ThrowingRunnable request) {
    this.request = request;
  }

  static RequestLoad start(Timing.ThrowingRunnable request, int threads) {
    RequestLoad load = new RequestLoad(request);
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(load::loop, "request-load-" + i);
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void loop() {
    while (running.get() && System.nanoTime() - started < MAX_NANOS && sent.incrementAndGet() <= MAX_REQUESTS) {
      long start = System.nanoTime();
      try {
        request.run();
      } catch (Exception e) {
        failed.incrementAndGet();
      }
      long end = System.nanoTime();
      synchronized (spans) {
        spans.add(new long[] {start, end});
      }
    }
  }

  /** Notes a window (nanoTime) whose overlapping requests {@link #longestOverlappingMs()} looks at. */
  synchronized void markWindow(long fromNanos, long toNanos) {
    windows.add(new long[] {fromNanos, toNanos});
  }

  /** The longest request that overlapped any marked window, in ms. */
  synchronized double longestOverlappingMs() {
    long longest = 0;
    synchronized (spans) {
      for (long[] span : spans) {
        for (long[] window : windows) {
          if (span[0] < window[1] && span[1] > window[0]) {
            longest = Math.max(longest, span[1] - span[0]);
          }
        }
      }
    }
    return longest / 1e6;
  }

  /** Requests completed per second over the whole load. */
  double perSecond() {
    long end = stoppedAt != 0 ? stoppedAt : System.nanoTime();
    synchronized (spans) {
      return spans.size() / ((end - started) / 1e9);
    }
  }

  long failures() {
    return failed.get();
  }

  @Override
  public void close() {
    running.set(false);
    for (Thread thread : threads) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stoppedAt = System.nanoTime();
  }
}
