package dev.gopherscope.sidecar.capture.delve;

import java.time.Duration;
import java.util.Objects;

/**
 * The most one capture may keep the target halted, summed over all its halts, and how much of it
 * is spent. The watchdog kills dlv once a halt outlives what is left plus {@link #grace()}: the
 * grace covers the last step (asking Delve to resume), so a capture that stops working at the
 * budget is not killed for the few milliseconds its resume takes.
 *
 * <p>Spent only through {@link Halt#end()}, on the capture's own thread; not thread-safe.
 */
public final class PauseBudget {

  public static final Duration DEFAULT_GRACE = Duration.ofMillis(20);

  private final Duration limit;
  private final Duration grace;
  private Duration spent = Duration.ZERO;

  private PauseBudget(Duration limit, Duration grace) {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(grace, "grace");
    if (limit.isNegative() || limit.isZero() || grace.isNegative()) {
      throw new IllegalArgumentException("a pause budget must be positive and its grace not negative, got "
          + limit + " and " + grace);
    }
    this.limit = limit;
    this.grace = grace;
  }

  public static PauseBudget of(Duration limit) {
    return new PauseBudget(limit, DEFAULT_GRACE);
  }

  public static PauseBudget of(Duration limit, Duration grace) {
    return new PauseBudget(limit, grace);
  }

  public Duration limit() {
    return limit;
  }

  public Duration grace() {
    return grace;
  }

  public Duration spent() {
    return spent;
  }

  /** What is left of the limit; zero once it is spent. */
  public Duration remaining() {
    Duration left = limit.minus(spent);
    return left.isNegative() ? Duration.ZERO : left;
  }

  public boolean exhausted() {
    return remaining().isZero();
  }

  void spend(Duration paused) {
    spent = spent.plus(paused);
  }

  @Override
  public String toString() {
    return "PauseBudget[limit=" + limit.toMillis() + "ms, spent=" + spent.toMillis() + "ms]";
  }
}
