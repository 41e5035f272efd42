package dev.gopherscope.sidecar.capture.delve;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Enforces a deadline on every halt without depending on Delve answering: while a listing runs,
 * Delve serialises every request behind it, so the only sure way to end a halt that overruns is to
 * kill dlv, after which the kernel detaches ptrace and the target runs on. The watchdog arms a
 * timer on its own thread at each {@link #begin}; if the halt has not ended when it fires, the
 * release action (killing dlv) runs there.
 *
 * <p>Once it has released, the dlv it guarded is gone: later halts fail fast and the caller
 * attaches again if it wants more.
 */
public final class HaltWatchdog implements AutoCloseable {

  private final Runnable release;
  private final DeadlineTimer timer;
  private final LongSupplier clock;
  private final AtomicBoolean released = new AtomicBoolean();

  /**
   * A watchdog whose timer thread is named after {@code name}.
   *
   * @param release what ends a halt by force; it must return only once the target can run
   */
  public HaltWatchdog(String name, Runnable release) {
    this(release, DeadlineTimer.onDaemonThread("halt-watchdog-" + name), System::nanoTime);
  }

  HaltWatchdog(Runnable release, DeadlineTimer timer, LongSupplier clock) {
    this.release = release;
    this.timer = timer;
    this.clock = clock;
  }

  /**
   * Starts timing a halt; call it right before asking for the halt. The deadline is what is left
   * of {@code budget} plus its grace.
   *
   * @throws IllegalStateException if this watchdog has already killed dlv
   */
  public Halt begin(PauseBudget budget) {
    return begin(budget, Duration.ZERO);
  }

  /**
   * Like {@link #begin(PauseBudget)}, but never allows less than {@code floor} before the grace:
   * for a step that must be allowed to finish even when the budget is spent, such as removing a
   * breakpoint, because killing dlv would leave it in the target.
   */
  public Halt begin(PauseBudget budget, Duration floor) {
    if (released.get()) {
      throw new IllegalStateException("the watchdog has already killed dlv");
    }
    Halt halt = new Halt(budget, clock);
    Duration allowance = budget.remaining().compareTo(floor) >= 0 ? budget.remaining() : floor;
    long delay = allowance.plus(budget.grace()).toNanos();
    halt.armed(timer.schedule(() -> halt.expire(this::releaseOnce), delay));
    return halt;
  }

  /** Whether the watchdog has killed dlv. */
  public boolean hasReleased() {
    return released.get();
  }

  private void releaseOnce() {
    if (released.compareAndSet(false, true)) {
      release.run();
    }
  }

  @Override
  public void close() {
    timer.close();
  }
}
