package dev.gopherscope.sidecar.trigger;

import dev.gopherscope.contract.SidecarPlan.TriggerPlan;
import dev.gopherscope.sidecar.capture.CaptureException;
import dev.gopherscope.sidecar.capture.DelveAccess;
import dev.gopherscope.sidecar.capture.delve.PauseBudget;
import dev.gopherscope.sidecar.capture.delve.SnapshotCapture;
import dev.gopherscope.sidecar.capture.delve.SnapshotHit;
import dev.gopherscope.sidecar.capture.delve.SnapshotRequest;
import dev.gopherscope.sidecar.capture.delve.SnapshotResult;
import dev.gopherscope.sidecar.delve.DelveTypes.LoadConfig;
import dev.gopherscope.sidecar.trigger.TriggerOutcome.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A breakpoint trigger: a one-hit breakpoint snapshot at the trigger's location, under its
 * condition, through Delve's {@link SnapshotCapture}, so it has the same guarantees (every stop
 * inside the pause budget, the breakpoint removed or restored by dlv's guard, the target never
 * left halted). The hit loads only what the trigger needs: the stack and the goroutine's labels,
 * with arguments read shallowly for trigger.json.
 */
public final class BreakpointTrigger {

  /** Arguments as a glance, not a dump: no pointers followed, short strings, few elements. */
  static final LoadConfig GLANCE = new LoadConfig(false, 0, 64, 8, 8);
  static final int STACK_DEPTH = 32;

  private final TriggerPlan plan;

  public BreakpointTrigger(TriggerPlan plan) {
    this.plan = plan;
  }

  /** Waits for the hit at most {@code wait}; each halt within {@code budget}. */
  public TriggerOutcome await(DelveAccess delve, Duration wait, PauseBudget budget) {
    SnapshotResult result;
    try {
      SnapshotRequest request = new SnapshotRequest(plan.location(), plan.condition(), 1, false, STACK_DEPTH, wait,
          GLANCE);
      result = new SnapshotCapture().capture(delve.attachment(), request, budget);
    } catch (CaptureException e) {
      return failed(e.reason() == null ? TriggerOutcome.FAILED : e.reason(), "the trigger (" + plan.describe()
          + ") could not be armed: " + e.getMessage(), 0);
    } catch (IllegalArgumentException e) {
      return failed(TriggerOutcome.FAILED, "the trigger (" + plan.describe() + ") is invalid: " + e.getMessage(), 0);
    }
    long pausedMs = (long) Math.ceil(result.pausedMs());
    return switch (result.outcome()) {
      case MAX_HITS -> {
        SnapshotHit hit = result.hits().get(0);
        yield new TriggerOutcome(State.Fired, null, "fired: goroutine " + hit.goroutineId() + " reached "
            + result.location() + (hit.labels().isEmpty() ? " (it carries no pprof labels)"
            : " with labels " + hit.labels().keySet()) + "; " + result.message(), 1, null, null, pausedMs,
            Instant.ofEpochMilli(hit.atEpochMs()), Optional.of(hit), List.of());
      }
      case TIMEOUT -> new TriggerOutcome(State.NeverFired, TriggerOutcome.NEVER_FIRED, "the trigger ("
          + plan.describe() + ") never fired: no goroutine reached " + result.location()
          + (plan.condition() == null || plan.condition().isBlank() ? "" : " with the condition true")
          + " in " + wait.toSeconds() + " s; " + result.message(), 0, null, null, pausedMs, null, Optional.empty(),
          List.of());
      case PAUSE_BUDGET -> failed(TriggerOutcome.FAILED, "the trigger (" + plan.describe() + ") could not be armed: "
          + "setting the breakpoint halted the target " + pausedMs + " ms, too much of spec.pauseBudget ("
          + budget.limit().toMillis() + " ms) to leave room for the hit and the breakpoint's removal; raise "
          + "spec.pauseBudget", pausedMs);
      case TARGET_EXITED -> failed("TargetExited", "the target exited while the trigger (" + plan.describe()
          + ") was armed; " + result.message(), pausedMs);
      default -> failed(TriggerOutcome.FAILED, "the trigger (" + plan.describe() + ") failed: " + result.message(),
          pausedMs);
    };
  }

  private static TriggerOutcome failed(String reason, String message, long pausedMs) {
    return TriggerOutcome.withoutReadings(State.Failed, reason, message, pausedMs);
  }
}
