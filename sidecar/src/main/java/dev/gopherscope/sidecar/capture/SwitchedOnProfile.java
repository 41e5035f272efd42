package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.CaptureKindName;
import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport.RateSwitch;
import dev.gopherscope.sidecar.capture.delve.DelveAttachment;
import dev.gopherscope.sidecar.capture.delve.PauseBudget;
import dev.gopherscope.sidecar.capture.delve.RuntimeVariableChange;
import dev.gopherscope.sidecar.delve.DelveException;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprofhttp.PprofHttpClient;
import java.time.Duration;
import java.util.Locale;

/**
 * A block or mutex profile with its rate switched on in place: both profiles are empty unless the
 * app called {@code runtime.SetBlockProfileRate} or {@code SetMutexProfileFraction}, which most
 * never do. Delve sets the runtime's variable for the profile's window ({@link RuntimeVariableChange},
 * one short halt each way, inside the session's pause budget: at most half of it to set, what is
 * left to put back), the app's pprof
 * endpoint gives what the profile gained in that window (a delta profile), and the old value is
 * put back whatever happens, by dlv's guard if dlv or the sidecar dies meanwhile.
 *
 * <p>The block rate is kept in CPU ticks: the rate asked for, in ns, is converted with the
 * runtime's own ticks per second, which the block profile's text form states, as
 * {@code SetBlockProfileRate} does.
 */
final class SwitchedOnProfile {

  /** Room for the restore's halt when setting the rate used up the budget: the watchdog ends it at once. */
  private static final Duration MIN_RESTORE = Duration.ofMillis(1);

  /** The profile and what the status says of the switch; {@code pausedMs} sums both halts. */
  record Taken(PprofProfile profile, String note, double pausedMs, boolean budgetExceeded, RateSwitch rateSwitch) {
  }

  private SwitchedOnProfile() {
  }

  static Taken take(CapturePlan plan, CaptureContext context, Duration window) {
    PprofHttpClient pprof = context.requirePprof();
    boolean block = plan.kind() == CaptureKindName.Block;
    String variable = block ? "runtime.blockprofilerate" : "runtime.mutexprofilerate";
    String asked = block ? "block profile rate " + plan.profileRate() + " ns" : "mutex profile fraction 1/"
        + plan.profileRate();
    long value = block ? blockTicks(plan.profileRate(), pprof) : plan.profileRate();
    Duration budget = Duration.ofMillis(Math.max(2, context.plan().pauseBudgetMs()));
    DelveAttachment delve = context.delve().attachment();
    RuntimeVariableChange change;
    try {
      change = RuntimeVariableChange.set(delve, variable, value, PauseBudget.of(budget.dividedBy(2)));
    } catch (DelveException e) {
      throw new CaptureException("the " + asked + " was not switched on: " + e.getMessage(), e);
    }
    context.progress().accept(String.format(Locale.ROOT, "%s switched on (%s %s -> %s) for %d s", asked, variable,
        Long.toUnsignedString(change.previous()), Long.toUnsignedString(value), PprofHttpClient.cpuSeconds(window)));
    PprofProfile profile = null;
    RuntimeException failure = null;
    try {
      profile = pprof.delta(block ? "block" : "mutex", window);
    } catch (RuntimeException e) {
      failure = e;
    }
    // What setting it left of the budget: a restore cut short by the watchdog kills dlv, and its
    // guard then puts the value back, so the budget holds for both halts together.
    Duration left = budget.minus(change.setPause().paused());
    RuntimeVariableChange.Restored restored = change.restore(PauseBudget.of(
        left.compareTo(MIN_RESTORE) < 0 ? MIN_RESTORE : left));
    String note = String.format(Locale.ROOT, "%s switched on in place for %d s (%s was %s, set to %s), %s; ", asked,
        PprofHttpClient.cpuSeconds(window), variable, Long.toUnsignedString(change.previous()),
        Long.toUnsignedString(value), restored.describe(change.previous()));
    if (failure != null || !restored.restored()) {
      throw new CaptureException(note + (failure == null ? "the profile was taken" : failure.getMessage()), failure);
    }
    double paused = change.setPause().pausedMs() + restored.pause().pausedMs();
    return new Taken(profile, note, paused, change.setPause().released() || restored.pause().released(),
        new RateSwitch(variable, change.previous(), value, restored.restored(), restored.by()));
  }

  /** {@code ns} as CPU ticks, as {@code runtime.SetBlockProfileRate} converts it (1 stays 1: every event). */
  static long blockTicks(long ns, PprofHttpClient pprof) {
    if (ns <= 1) {
      return 1;
    }
    return Math.max(1, (long) ((double) ns * pprof.cyclesPerSecond() / 1e9));
  }
}
