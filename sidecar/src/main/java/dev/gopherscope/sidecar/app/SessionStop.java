package dev.gopherscope.sidecar.app;

import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.capture.CaptureResult;
import dev.gopherscope.sidecar.capture.OutcomeBuilder;
import java.util.List;

/**
 * A failure that ends the whole session rather than one capture: the target process exited (there
 * is nothing left to capture from) or the spool is full (every later artifact would be refused).
 * It rewrites the failed capture's outcome to name the real cause, and gives each later capture a
 * not-started outcome, so that neither a person nor the status has to guess from a "connection
 * reset" what happened.
 */
final class SessionStop {

  private final String reason;
  private final String headline;

  private SessionStop(String reason, String headline) {
    this.reason = reason;
    this.headline = headline;
  }

  /** The target exited while {@code failed} ran: its message becomes the exit's, its artifacts stay. */
  static CaptureResult targetExitedDuring(TargetIdentity target, CapturePlan capture, int planned,
      CaptureResult failed) {
    String message = "the target process " + target.describe() + " exited during capture " + position(capture, planned)
        + (failed.artifacts().isEmpty() ? "" : "; the " + failed.artifacts().size() + " artifact(s) it spooled before "
        + "are kept") + "; the capture ended with: " + failed.outcome().message();
    return new CaptureResult(withMessage(failed.outcome(), message), failed.artifacts(),
        CaptureResult.TARGET_EXITED);
  }

  /**
   * dlv died under {@code cut} by no hand of the sidecar's ({@code how}: as its guard saw it): the
   * capture fails even if it kept what it read before, the message names dlv's death instead of the
   * lost connection, and its artifacts stay. Later Delve captures
   * fail on their own, since the session does not halt the target again to re-attach; the others run.
   */
  static CaptureResult debuggerExitedDuring(CapturePlan capture, int planned, CaptureResult cut, String how) {
    String message = "dlv exited on its own (" + how + ") during capture " + position(capture, planned)
        + "; its guard resumed the target" + (cut.artifacts().isEmpty() ? "" : "; the " + cut.artifacts().size()
        + " artifact(s) it spooled are kept, with what it read before") + "; the capture ended with: "
        + cut.outcome().message();
    return new CaptureResult(cut.outcome().withVerdict(false, message), cut.artifacts(),
        CaptureResult.DEBUGGER_EXITED);
  }

  /** The target was gone before {@code capture} could start: it and the rest are not started. */
  static SessionStop targetExitedBefore(TargetIdentity target, CapturePlan capture, int planned) {
    return new SessionStop(CaptureResult.TARGET_EXITED, "the target process " + target.describe()
        + " exited before capture " + position(capture, planned));
  }

  /** The trigger ended without firing (or could not watch): no capture starts. */
  static SessionStop triggerEnded(String reason, String why) {
    return new SessionStop(reason, why);
  }

  /** The stop {@code result} causes, if it ends the session; null if it does not. */
  static SessionStop causedBy(CapturePlan capture, int planned, CaptureResult result) {
    if (!result.endsSession()) {
      return null;
    }
    String what = CaptureResult.TARGET_EXITED.equals(result.reason()) ? "the target process exited during capture "
        : "the spool filled up in capture ";
    return new SessionStop(result.reason(), what + position(capture, planned));
  }

  /** A capture after the stop, which is not started. */
  CaptureResult notStarted(CapturePlan capture) {
    return new CaptureResult(OutcomeBuilder.failed(capture, "not started: " + headline), List.of(), reason);
  }

  static String position(CapturePlan capture, int planned) {
    return (capture.index() + 1) + "/" + planned + " (" + capture.kind() + ")";
  }

  private static CaptureOutcome withMessage(CaptureOutcome o, String message) {
    return o.withVerdict(o.ok(), message);
  }
}
