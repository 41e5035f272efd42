package dev.gopherscope.sidecar.capture.delve;

import java.util.List;
import java.util.Objects;

/**
 * What one Delve goroutine capture found, and what it cost the target.
 *
 * @param outcome how the capture ended
 * @param goroutinesScanned goroutine slots Delve examined (the runtime's list, dead slots included)
 * @param goroutinesTotal the length of the runtime's goroutine list when the capture began, or -1 if unknown
 * @param matched goroutines that matched the query, including any beyond {@code goroutines}
 * @param goroutines the matched goroutines kept, at most the capture's limit
 * @param pausedMs how long the target was halted, from the halt request to the confirmed resume
 *     (or to dlv's death)
 * @param budgetExceeded whether the halt overran the budget and the watchdog killed dlv
 * @param complete whether every goroutine was scanned
 * @param message a sentence for the session's status
 */
public record GoroutineCaptureResult(Outcome outcome, long goroutinesScanned, long goroutinesTotal, long matched,
    List<CapturedGoroutine> goroutines, double pausedMs, boolean budgetExceeded, boolean complete,
    String message) {

  public GoroutineCaptureResult {
    Objects.requireNonNull(outcome, "outcome");
    goroutines = List.copyOf(goroutines);
    Objects.requireNonNull(message, "message");
  }

  public enum Outcome {
    /** Every goroutine was scanned within the budget. */
    COMPLETE,
    /** The capture stopped itself at the budget and resumed the target; the scan is partial. */
    PAUSE_BUDGET,
    /** A halt overran the budget and the watchdog killed dlv; the attachment is gone. */
    WATCHDOG_KILLED_DLV,
    /** dlv failed; the target was resumed (or dlv killed). */
    DELVE_FAILED,
    /** There was no live dlv to capture with. */
    DLV_GONE
  }
}
