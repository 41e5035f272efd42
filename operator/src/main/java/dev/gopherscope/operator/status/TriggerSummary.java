package dev.gopherscope.operator.status;

import dev.gopherscope.api.v1alpha1.TargetReport;
import dev.gopherscope.api.v1alpha1.TriggerReport;
import dev.gopherscope.api.v1alpha1.TriggerState;
import dev.gopherscope.api.v1alpha1.TriggerStatus;
import java.util.List;
import java.util.Objects;

/** The session's {@code status.trigger}, from what each sidecar reports of its own trigger. */
final class TriggerSummary {

  private TriggerSummary() {
  }

  /**
   * Fired once any target fired; Armed while any still watches; NeverFired when they all ended
   * and at least one ran out of time; Failed when none could watch. Null before any report.
   */
  static TriggerStatus of(List<TargetReport> reports, TriggerStatus previous) {
    List<TriggerReport> triggers = reports.stream().map(TargetReport::getTrigger).filter(Objects::nonNull).toList();
    if (triggers.isEmpty()) {
      return previous;
    }
    TriggerStatus status = new TriggerStatus();
    int fired = (int) triggers.stream().filter(t -> t.getState() == TriggerState.Fired).count();
    status.setFiredTargets(fired);
    status.setFirstFiredTime(triggers.stream().map(TriggerReport::getFiredTime).filter(Objects::nonNull).sorted()
        .findFirst().orElse(null));
    status.setState(fired > 0 ? TriggerState.Fired
        : triggers.stream().anyMatch(t -> t.getState() == TriggerState.Armed) ? TriggerState.Armed
        : triggers.stream().anyMatch(t -> t.getState() == TriggerState.NeverFired) ? TriggerState.NeverFired
        : TriggerState.Failed);
    return status;
  }

  /** The Triggered condition's message. */
  static String describe(TriggerStatus trigger, int targets) {
    if (trigger == null || trigger.getState() == null) {
      return "no sidecar has armed the trigger yet";
    }
    return switch (trigger.getState()) {
      case Fired -> "fired on " + trigger.getFiredTargets() + " of " + targets + " target(s), first at "
          + trigger.getFirstFiredTime();
      case Armed -> "armed: waiting for the condition on " + targets + " target(s)";
      case NeverFired -> "the trigger never fired before the session's time ran out";
      case Failed -> "no target could watch for the trigger; see status.targets[].message";
    };
  }
}
