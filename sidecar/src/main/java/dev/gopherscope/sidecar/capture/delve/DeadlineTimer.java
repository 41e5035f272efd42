package dev.gopherscope.sidecar.capture.delve;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay, on a thread of its own: the watchdog's deadline must fire
 * whatever the capture's thread is blocked on. An interface so that tests can fire it by hand.
 */
interface DeadlineTimer extends AutoCloseable {

  Future<?> schedule(Runnable task, long delayNanos);

  @Override
  void close();

  /** A timer on one daemon thread named {@code name}. */
  static DeadlineTimer onDaemonThread(String name) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    return new DeadlineTimer() {
      @Override
      public Future<?> schedule(Runnable task, long delayNanos) {
        return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void close() {
        executor.shutdownNow();
      }
    };
  }
}
