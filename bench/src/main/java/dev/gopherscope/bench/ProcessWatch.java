package dev.gopherscope.bench;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples one process from /proc every few milliseconds until closed or until it exits: its peak
 * resident memory (VmHWM only rises, so a sample taken after the peak sees it; only growth in the
 * last interval before exit can be missed) and whether anything ever ptrace-attached to it.
 */
final class ProcessWatch implements AutoCloseable {

  private final long pid;
  private final AtomicLong peakRss = new AtomicLong(-1);
  private final AtomicLong samples = new AtomicLong();
  private final AtomicBoolean traced = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  private ProcessWatch(long pid, long everyMillis) {
    this.pid = pid;
    this.thread = new Thread(() -> loop(everyMillis), "watch-" + pid);
    thread.setDaemon(true);
  }

  static ProcessWatch start(long pid, long everyMillis) {
    ProcessWatch watch = new ProcessWatch(pid, everyMillis);
    watch.sample();
    watch.thread.start();
    return watch;
  }

  private void loop(long everyMillis) {
    while (running.get() && sample()) {
      try {
        Thread.sleep(everyMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One sample; false once the process is gone. */
  private boolean sample() {
    long hwm = ProcessMemory.peakRssBytes(pid);
    if (hwm < 0) {
      return false;
    }
    peakRss.accumulateAndGet(hwm, Math::max);
    if (ProcessMemory.tracerPid(pid) > 0) {
      traced.set(true);
    }
    samples.incrementAndGet();
    return true;
  }

  long peakRssBytes() {
    return peakRss.get();
  }

  /** Whether any sample found a tracer (a debugger) attached. */
  boolean everTraced() {
    return traced.get();
  }

  long samples() {
    return samples.get();
  }

  @Override
  public void close() {
    sample();
    running.set(false);
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
