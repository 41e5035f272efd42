package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import java.util.List;

/**
 * How one capture went and the artifacts it spooled (a failed capture may still have spooled some).
 *
 * @param reason why it failed, CamelCase for the status ({@link #CAPTURE_FAILED}, {@link #SPOOL_FULL},
 *     {@link #TARGET_EXITED}, {@link #DEBUGGER_EXITED}, {@link #ATTACH_PAUSE_OVER_BUDGET},
 *     {@link #ATTACH_LIMIT_REACHED}); null when it succeeded
 */
public record CaptureResult(CaptureOutcome outcome, List<SpooledArtifact> artifacts, String reason) {

  public static final String CAPTURE_FAILED = "CaptureFailed";
  /** The spool's disk had too little room: later captures would fail the same way. */
  public static final String SPOOL_FULL = "SpoolFull";
  /** The target process died: there is nothing left to capture from. */
  public static final String TARGET_EXITED = "TargetExited";
  /** dlv was not attached: the attach pause predicted from the binary's DWARF exceeds spec.attachPauseBudget. */
  public static final String ATTACH_PAUSE_OVER_BUDGET = "AttachPauseOverBudget";
  /** dlv was not attached again: the session has used all its attaches, or the last one overran its budget. */
  public static final String ATTACH_LIMIT_REACHED = "AttachLimitReached";
  /** dlv died under the capture by no hand of the sidecar's; its guard resumed the target. */
  public static final String DEBUGGER_EXITED = "DebuggerExited";

  public CaptureResult {
    artifacts = List.copyOf(artifacts);
    if (!outcome.ok() && reason == null) {
      reason = CAPTURE_FAILED;
    }
  }

  public CaptureResult(CaptureOutcome outcome, List<SpooledArtifact> artifacts) {
    this(outcome, artifacts, null);
  }

  /** Whether the rest of the session cannot succeed either, so its captures should not start. */
  public boolean endsSession() {
    return SPOOL_FULL.equals(reason) || TARGET_EXITED.equals(reason);
  }
}
