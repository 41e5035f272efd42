package dev.gopherscope.sidecar.capture.delve;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * One timed halt of the target, from the moment the halt is asked for until {@link #end()} (called
 * once the resume is confirmed) or until the watchdog has killed dlv. Ending it charges the pause
 * to the budget. The capture thread asks {@link #remaining()} to decide how much more work fits.
 */
public final class Halt implements AutoCloseable {

  private enum State { ARMED, ENDED, RELEASING, RELEASED }

  private final PauseBudget budget;
  private final LongSupplier clock;
  private final long startNanos;
  private final long allowanceNanos;
  private Future<?> deadline;
  private State state = State.ARMED;
  private long releasedAtNanos;
  private HaltOutcome outcome;

  Halt(PauseBudget budget, LongSupplier clock) {
    this.budget = budget;
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    this.allowanceNanos = budget.remaining().toNanos();
  }

  synchronized void armed(Future<?> deadline) {
    this.deadline = deadline;
  }

  /** Time since the halt was asked for. */
  public Duration elapsed() {
    return Duration.ofNanos(clock.getAsLong() - startNanos);
  }

  /** What is left of the budget for this halt; zero once it is spent (the grace is not included). */
  public Duration remaining() {
    long left = allowanceNanos - (clock.getAsLong() - startNanos);
    return Duration.ofNanos(Math.max(0, left));
  }

  /** Whether the watchdog killed dlv to end this halt. */
  public synchronized boolean released() {
    return state == State.RELEASING || state == State.RELEASED;
  }

  /**
   * Stops the clock and charges the pause to the budget; call it once the resume is confirmed.
   * If the watchdog is killing dlv, waits until dlv is gone, since only then does the target run.
   * Idempotent.
   */
  public HaltOutcome end() {
    HaltOutcome ended;
    synchronized (this) {
      if (outcome != null) {
        return outcome;
      }
      if (state == State.ARMED) {
        state = State.ENDED;
        if (deadline != null) {
          deadline.cancel(false);
        }
        ended = new HaltOutcome(Duration.ofNanos(clock.getAsLong() - startNanos), false);
      } else {
        boolean interrupted = false;
        while (state == State.RELEASING) {
          try {
            wait();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        ended = new HaltOutcome(Duration.ofNanos(releasedAtNanos - startNanos), true);
      }
      outcome = ended;
    }
    budget.spend(ended.paused());
    return ended;
  }

  @Override
  public void close() {
    end();
  }

  /** The watchdog's side: runs {@code release} unless the halt already ended. */
  void expire(Runnable release) {
    synchronized (this) {
      if (state != State.ARMED) {
        return;
      }
      state = State.RELEASING;
    }
    try {
      release.run();
    } finally {
      synchronized (this) {
        releasedAtNanos = clock.getAsLong();
        state = State.RELEASED;
        notifyAll();
      }
    }
  }
}
