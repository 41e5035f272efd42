package dev.gopherscope.sidecar.capture.delve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Notes when a process gains a tracer, by polling {@code TracerPid} in its {@code status} every
 * millisecond: the moment dlv's first {@code PTRACE_ATTACH} stops its main thread. Starting dlv (a
 * process spawn, a Go runtime starting) takes a good part of what the attach seems to cost from
 * the outside, but the target runs meanwhile; its pause starts here at the earliest.
 */
final class TracerWatch implements AutoCloseable {

  private static final long POLL_NANOS = 1_000_000;

  private final Path status;
  private final Thread poller;
  private volatile long tracedAtNanos = -1;
  private volatile boolean stopped;

  private TracerWatch(long pid) {
    this.status = Path.of("/proc", Long.toString(pid), "status");
    this.poller = new Thread(this::poll, "tracer-watch-" + pid);
    poller.setDaemon(true);
  }

  /** Starts watching {@code pid}; call before starting the tracer. */
  static TracerWatch start(long pid) {
    TracerWatch watch = new TracerWatch(pid);
    watch.poller.start();
    return watch;
  }

  /** {@link System#nanoTime()} when a tracer was first seen, if one was. */
  OptionalLong tracedAtNanos() {
    long at = tracedAtNanos;
    return at < 0 ? OptionalLong.empty() : OptionalLong.of(at);
  }

  private void poll() {
    while (!stopped && tracedAtNanos < 0) {
      if (hasTracer()) {
        tracedAtNanos = System.nanoTime();
        return;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private boolean hasTracer() {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("TracerPid:")) {
          return !line.substring("TracerPid:".length()).strip().equals("0");
        }
      }
    } catch (IOException e) {
      stopped = true; // the process is gone
    }
    return false;
  }

  @Override
  public void close() {
    stopped = true;
  }
}
