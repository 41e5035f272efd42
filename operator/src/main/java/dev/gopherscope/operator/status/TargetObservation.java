package dev.gopherscope.operator.status;

import dev.gopherscope.api.v1alpha1.TargetReport;
import dev.gopherscope.contract.SidecarReport;
import java.time.Instant;

/**
 * What the operator knows about one target at one reconcile: whether it injected the debugger,
 * what the kubelet says about that container, what the sidecar reported, and the full report
 * once it is uploaded.
 *
 * @param failureReason set when the operator itself gave up on this target (pre-flight, injection)
 * @param debuggerExit the debugger container's exit code once it terminated, else null
 * @param debuggerWaiting why the kubelet has not started the debugger container (e.g. ImagePullBackOff)
 */
public record TargetObservation(
    String pod,
    String container,
    String debuggerContainer,
    Instant injectionTime,
    boolean podGone,
    Integer debuggerExit,
    String debuggerWaiting,
    TargetReport report,
    SidecarReport fullReport,
    String failureReason,
    String failureMessage,
    String warning) {

  public boolean injected() {
    return injectionTime != null;
  }
}
