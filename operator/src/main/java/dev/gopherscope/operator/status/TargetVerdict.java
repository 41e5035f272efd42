package dev.gopherscope.operator.status;

import dev.gopherscope.api.v1alpha1.TargetPhase;
import java.time.Duration;
import java.time.Instant;

/** The operator's view of one target: its phase and the words that explain it. */
public record TargetVerdict(TargetPhase phase, String reason, String message) {

  public boolean isFinal() {
    return phase == TargetPhase.Done || phase == TargetPhase.Failed;
  }

  /** Decides a target's phase from what was observed; the sidecar's word wins while it is alive. */
  public static TargetVerdict of(TargetObservation t, Instant now, Duration reportDeadline) {
    if (t.failureReason() != null) {
      return new TargetVerdict(TargetPhase.Failed, t.failureReason(), t.failureMessage());
    }
    if (t.report() != null && t.report().getPhase() != null) {
      TargetPhase reported = t.report().getPhase();
      if (reported == TargetPhase.Done || reported == TargetPhase.Failed) {
        return new TargetVerdict(reported, reported == TargetPhase.Done ? "Done" : orDefault(t.report().getReason(),
            "SidecarFailed"), t.report().getMessage());
      }
      if (t.podGone()) {
        return new TargetVerdict(TargetPhase.Failed, "PodDeleted",
            "pod " + t.pod() + " was deleted while the debugger was " + reported);
      }
      if (t.debuggerExit() != null) {
        return new TargetVerdict(TargetPhase.Failed, "DebuggerExited", "the debugger container exited with code "
            + t.debuggerExit() + " while " + reported + ": " + orDefault(t.report().getMessage(), "no message"));
      }
      return new TargetVerdict(reported, reported.name(), t.report().getMessage());
    }
    if (t.podGone()) {
      return new TargetVerdict(TargetPhase.Failed, "PodDeleted", "pod " + t.pod() + " was deleted");
    }
    if (!t.injected()) {
      return new TargetVerdict(TargetPhase.Pending, "NotInjected", "debugger not injected yet");
    }
    if (t.debuggerExit() != null) {
      return new TargetVerdict(TargetPhase.Failed, "DebuggerExited", "the debugger container exited with code "
          + t.debuggerExit() + " before it reported; see kubectl logs " + t.pod() + " -c " + t.debuggerContainer());
    }
    Duration silent = Duration.between(t.injectionTime(), now);
    if (silent.compareTo(reportDeadline) > 0) {
      String why = t.debuggerWaiting() != null ? "the kubelet reports " + t.debuggerWaiting()
          : "the kubelet has not reported the container as started";
      return new TargetVerdict(TargetPhase.Failed, "SidecarNotReporting", "the debugger container "
          + t.debuggerContainer() + " has not reported within " + reportDeadline.toSeconds() + "s of injection; "
          + why);
    }
    return new TargetVerdict(TargetPhase.Injected, "Injected", t.debuggerWaiting() != null
        ? "waiting for the debugger container: " + t.debuggerWaiting() : "waiting for the debugger to attach");
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
