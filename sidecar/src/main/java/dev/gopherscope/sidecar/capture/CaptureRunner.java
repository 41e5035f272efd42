package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.output.ArtifactSpool;

/**
 * Runs one capture so that nothing it does can stop the session: a failure becomes a failed
 * outcome with a message a person can act on, and whatever the capture spooled before failing is
 * kept. A capture whose turn comes after the session's deadline is not started.
 */
public final class CaptureRunner {

  private CaptureRunner() {
  }

  public static CaptureResult run(Capture capture, CapturePlan plan, CaptureContext context) {
    CaptureOutcome outcome;
    String reason = null;
    if (context.remaining().isZero()) {
      outcome = OutcomeBuilder.failed(plan, "not started: the session's deadline " + context.deadline() + " has passed");
    } else {
      try {
        outcome = capture.run(context);
      } catch (CaptureException e) {
        outcome = OutcomeBuilder.failed(plan, e.getMessage());
        reason = e.reason();
      } catch (ArtifactSpool.SpoolFullException e) {
        outcome = OutcomeBuilder.failed(plan, e.getMessage());
        reason = CaptureResult.SPOOL_FULL;
      } catch (RuntimeException e) {
        // Known failures carry a message written for the status; anything else gets its type too.
        outcome = OutcomeBuilder.failed(plan, e.getMessage() == null || isUnexpected(e) ? e.toString() : e.getMessage());
      } catch (OutOfMemoryError e) {
        // The sidecar's heap is kept small to fit the pod; one huge profile must not cost the others.
        // What failed to fit is garbage by now, so the session can go on.
        outcome = OutcomeBuilder.failed(plan, "the data did not fit in the sidecar's memory (" + e.getMessage()
            + "); a profile this large needs a larger -Xmx, or a narrower filter");
      }
    }
    return new CaptureResult(outcome, context.artifacts().writtenFor(plan.index()), reason);
  }

  private static boolean isUnexpected(RuntimeException e) {
    String type = e.getClass().getName();
    return type.startsWith("java.") || type.startsWith("com.fasterxml.");
  }
}
