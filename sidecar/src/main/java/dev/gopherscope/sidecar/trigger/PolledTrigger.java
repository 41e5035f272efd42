package dev.gopherscope.sidecar.trigger;

import dev.gopherscope.contract.SidecarPlan.TriggerPlan;
import dev.gopherscope.sidecar.pprofhttp.PprofFetchException;
import dev.gopherscope.sidecar.trigger.TriggerOutcome.Reading;
import dev.gopherscope.sidecar.trigger.TriggerOutcome.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Polls a trigger's figure until it holds, the time is up, the target exits, or the endpoint fails
 * {@link #FAILURES_TOLERATED} times in a row. The target serves every poll, so the wait after a
 * poll is at least {@link #IDLE_PER_BUSY} times the poll's own time: polling never takes more than
 * 1/{@code (IDLE_PER_BUSY + 1)} = 2% of the time, however slow the app answers (a heap profile of
 * a large heap, a goroutine profile of 100,000 goroutines).
 */
public final class PolledTrigger {

  static final int IDLE_PER_BUSY = 49;
  static final int FAILURES_TOLERATED = 3;
  /** Enough for the last half hour at the default 5 s, in trigger.json; the status keeps only figures. */
  static final int READINGS_KEPT = 360;

  /** Waits between polls; tests pass one that moves a fake clock. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final TriggerPlan plan;
  private final TriggerPoll poll;
  private final Clock clock;
  private final Sleeper sleeper;

  public PolledTrigger(TriggerPlan plan, TriggerPoll poll, Clock clock, Sleeper sleeper) {
    this.plan = plan;
    this.poll = poll;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * @param until when to stop watching if it has not fired
   * @param targetGone true once the target process has exited
   * @param progress told after every poll while armed
   */
  public TriggerOutcome await(Instant until, BooleanSupplier targetGone, Consumer<TriggerOutcome> progress) {
    Deque<Reading> readings = new ArrayDeque<>();
    long polls = 0;
    Long value = null;
    Long peak = null;
    long slowest = 0;
    int failures = 0;
    String lastFailure = "";
    Duration interval = Duration.ofMillis(Math.max(1, plan.pollIntervalMs()));
    while (true) {
      if (targetGone.getAsBoolean()) {
        return end(State.Failed, "TargetExited", "the target exited while the trigger (" + plan.describe()
            + ") was armed, after " + polls + " poll(s)", polls, value, peak, slowest, null, readings);
      }
      Instant started = clock.instant();
      long startedNanos = System.nanoTime();
      try {
        long read = poll.read();
        failures = 0;
        value = read;
        peak = peak == null ? read : Math.max(peak, read);
        polls++;
      } catch (PprofFetchException e) {
        failures++;
        lastFailure = e.getMessage();
      }
      long tookMs = (System.nanoTime() - startedNanos) / 1_000_000;
      slowest = Math.max(slowest, tookMs);
      if (failures >= FAILURES_TOLERATED) {
        return end(State.Failed, TriggerOutcome.FAILED, FAILURES_TOLERATED + " polls in a row failed while the "
            + "trigger (" + plan.describe() + ") was armed; the last: " + lastFailure, polls, value, peak, slowest,
            null, readings);
      }
      if (failures == 0) {
        remember(readings, new Reading(started, value, tookMs));
        if (TriggerPoll.holds(plan, value)) {
          return end(State.Fired, null, "fired: " + figure(value) + " (" + plan.describe() + ") at poll " + polls,
              polls, value, peak, slowest, clock.instant(), readings);
        }
      }
      progress.accept(new TriggerOutcome(State.Armed, null, armedMessage(polls, value, peak, slowest), polls, value,
          peak, slowest, null, Optional.empty(), List.copyOf(readings)));
      Duration wait = interval.compareTo(Duration.ofMillis(tookMs * IDLE_PER_BUSY)) >= 0 ? interval
          : Duration.ofMillis(tookMs * IDLE_PER_BUSY);
      Duration left = Duration.between(clock.instant(), until);
      if (left.compareTo(wait) < 0) {
        return end(State.NeverFired, TriggerOutcome.NEVER_FIRED, "the trigger (" + plan.describe() + ") never fired: "
            + armedMessage(polls, value, peak, slowest), polls, value, peak, slowest, null, readings);
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return end(State.Failed, TriggerOutcome.FAILED, "interrupted while armed", polls, value, peak, slowest, null,
            readings);
      }
    }
  }

  private String armedMessage(long polls, Long value, Long peak, long slowest) {
    return "armed for " + plan.describe() + ": " + polls + " poll(s)"
        + (value == null ? "" : ", now " + figure(value) + ", peak " + figure(peak))
        + ", slowest poll " + slowest + " ms";
  }

  /** The figure in the trigger's unit: {@code 512 goroutines}, {@code 96.0 MiB}. */
  private String figure(long value) {
    return switch (plan.kind()) {
      case GoroutinesAbove -> value + " goroutines";
      case HeapInUseAbove -> String.format(java.util.Locale.ROOT, "%.1f MiB in use", value / 1048576.0);
      case LabelAppears -> value + " labelled goroutine(s)";
      case Breakpoint -> String.valueOf(value);
    };
  }

  private static void remember(Deque<Reading> readings, Reading reading) {
    if (readings.size() == READINGS_KEPT) {
      readings.removeFirst();
    }
    readings.addLast(reading);
  }

  private static TriggerOutcome end(State state, String reason, String message, long polls, Long value, Long peak,
      long slowest, Instant firedAt, Deque<Reading> readings) {
    return new TriggerOutcome(state, reason, message, polls, value, peak, slowest, firedAt, Optional.empty(),
        List.copyOf(readings));
  }
}
