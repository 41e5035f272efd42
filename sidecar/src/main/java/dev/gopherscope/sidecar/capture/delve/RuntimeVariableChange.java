package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.delve.DelveException;
import dev.gopherscope.sidecar.delve.DelveTypes.LoadConfig;
import dev.gopherscope.sidecar.delve.DelveTypes.Variable;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A 64-bit runtime variable (such as {@code runtime.mutexprofilerate}) set through Delve for a
 * while and put back afterwards, always (DESIGN invariant 1): each change is one short halt inside
 * a pause budget, and dlv's guard is told the value to put back before Delve changes anything, so
 * a dlv or sidecar that dies in between leaves the target as it was. The value is read back from
 * the target's memory, without a halt, to confirm each step.
 */
public final class RuntimeVariableChange {

  /** How long a dead dlv's guard is given to have written the old value back. */
  private static final Duration GUARD_WAIT = Duration.ofSeconds(3);
  private static final LoadConfig SCALAR = new LoadConfig(false, 0, 0, 0, 0);

  private final DelveAttachment delve;
  private final String variable;
  private final long address;
  private final long previous;
  private final long value;
  private final HaltOutcome setPause;

  private RuntimeVariableChange(DelveAttachment delve, String variable, long address, long previous, long value,
      HaltOutcome setPause) {
    this.delve = delve;
    this.variable = variable;
    this.address = address;
    this.previous = previous;
    this.value = value;
    this.setPause = setPause;
  }

  /** How putting the value back went. */
  public record Restored(boolean restored, String by, long valueNow, HaltOutcome pause) {

    /** For a status message: "put back to 0 by Delve" or why not. */
    public String describe(long previous) {
      return restored ? "put back to " + Long.toUnsignedString(previous) + " by " + by
          : "NOT put back to " + Long.toUnsignedString(previous) + " (the target's memory holds "
              + Long.toUnsignedString(valueNow) + "; " + by + ")";
    }
  }

  /**
   * Sets {@code variable} to {@code value} in one halt charged to {@code budget}.
   *
   * @throws DelveException if dlv is gone, its guard could not put the value back were it to die,
   *     or the change did not take (the target is then as it was, or dlv's guard puts it back)
   */
  public static RuntimeVariableChange set(DelveAttachment delve, String variable, long value, PauseBudget budget) {
    if (!delve.isAlive()) {
      throw new DelveException("dlv is no longer attached, so " + variable + " was not changed");
    }
    if (!delve.guardRestoresValues()) {
      throw new DelveException("dlv-guard next to dlv cannot put " + variable + " back if dlv or the sidecar dies, "
          + "so it was not changed (the sidecar image's guard is older than this sidecar)");
    }
    long address = -1;
    long previous = 0;
    DelveException failure = null;
    Halt halt = delve.watchdog().begin(budget);
    HaltOutcome ended;
    try {
      delve.client().halt();
      Variable current = delve.client().eval(variable, SCALAR);
      previous = Long.parseUnsignedLong(current.value());
      address = current.addr();
      delve.valueChanging(address, previous);
      delve.client().set(variable, Long.toUnsignedString(value));
    } catch (DelveException | NumberFormatException e) {
      failure = e instanceof DelveException de ? de
          : new DelveException("Delve read " + variable + " as something other than a number: " + e.getMessage(), e);
    } finally {
      if (!halt.released()) {
        delve.resumeOrKill();
      }
      ended = halt.end();
    }
    RuntimeVariableChange change = new RuntimeVariableChange(delve, variable, address, previous, value, ended);
    OptionalLong now = address > 0 ? delve.readWord(address) : OptionalLong.empty();
    if (failure == null && !ended.released() && now.isPresent() && now.getAsLong() == value) {
      return change;
    }
    String why = ended.released() ? String.format(Locale.ROOT, "setting it overran the %d ms pause budget, so dlv "
        + "was killed", budget.limit().toMillis())
        : failure != null ? failure.getMessage()
        : "the target's memory holds " + (now.isPresent() ? Long.toUnsignedString(now.getAsLong()) : "(unreadable)")
            + " after Delve set it to " + Long.toUnsignedString(value);
    String after = address > 0 ? "; " + change.restore(budget).describe(previous) : "";
    throw new DelveException("cannot set " + variable + ": " + why + after);
  }

  public String variable() {
    return variable;
  }

  /** Where the variable is in the target's memory. */
  public long address() {
    return address;
  }

  public long previous() {
    return previous;
  }

  public long value() {
    return value;
  }

  /** The halt that setting it took. */
  public HaltOutcome setPause() {
    return setPause;
  }

  /**
   * Puts the previous value back: through Delve in one halt charged to {@code budget} while dlv
   * lives; else (or if that fails) by dlv's guard, which writes it when dlv ends.
   */
  public Restored restore(PauseBudget budget) {
    HaltOutcome pause = new HaltOutcome(Duration.ZERO, false);
    if (delve.isAlive()) {
      Halt halt = delve.watchdog().begin(budget);
      boolean set = false;
      try {
        delve.client().halt();
        delve.client().set(variable, Long.toUnsignedString(previous));
        set = true;
      } catch (DelveException e) {
        // dlv's guard puts it back once dlv is gone: end dlv below.
      } finally {
        if (!halt.released()) {
          delve.resumeOrKill();
        }
        pause = halt.end();
      }
      OptionalLong now = delve.readWord(address);
      if (set && !pause.released() && now.isPresent() && now.getAsLong() == previous) {
        delve.valueRestored(address);
        return new Restored(true, "Delve", previous, pause);
      }
      if (delve.isAlive()) {
        delve.kill();
      }
    }
    OptionalLong now = awaitGuard();
    boolean back = now.isPresent() && now.getAsLong() == previous;
    return new Restored(back, back ? "dlv's guard, as dlv was gone" : "dlv is gone and its guard did not put it back",
        now.orElse(-1), pause);
  }

  private OptionalLong awaitGuard() {
    long until = System.nanoTime() + GUARD_WAIT.toNanos();
    OptionalLong now = delve.readWord(address);
    while ((now.isEmpty() || now.getAsLong() != previous) && System.nanoTime() < until) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      now = delve.readWord(address);
    }
    return now;
  }
}
