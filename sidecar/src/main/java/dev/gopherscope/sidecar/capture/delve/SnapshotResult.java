package dev.gopherscope.sidecar.capture.delve;

import java.util.List;
import java.util.Objects;

/**
 * What a breakpoint snapshot recorded and what it cost the target.
 *
 * @param outcome why it ended
 * @param location where the breakpoint was set, as Delve resolved it ({@code function file:line}),
 *     or the request's expression if it never was
 * @param hits the recorded hits, at most the request's {@code maxHits}
 * @param pausedMs the target's total halted time: setting the breakpoint, every stop, removing it.
 *     Delve's own work between a stop and reporting it (evaluating the condition, loading
 *     variables) happens before the client can know and is not included
 * @param budgetExceeded whether the pause went over the budget and its grace (removing the
 *     breakpoint may, rather than leave it in the target), or the watchdog had to kill dlv
 * @param breakpointRemoved whether the breakpoint is known to be gone from the target
 * @param message a sentence for the session's status
 */
public record SnapshotResult(Outcome outcome, String location, List<SnapshotHit> hits, double pausedMs,
    boolean budgetExceeded, boolean breakpointRemoved, String message) {

  public SnapshotResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(location, "location");
    hits = List.copyOf(hits);
    Objects.requireNonNull(message, "message");
  }

  public enum Outcome {
    /** {@code maxHits} hits were recorded. */
    MAX_HITS,
    /** The request's timeout passed first; the hits so far are kept. */
    TIMEOUT,
    /** Another hit would not have fit in the pause budget. */
    PAUSE_BUDGET,
    /** A halt overran and the watchdog killed dlv. */
    WATCHDOG_KILLED_DLV,
    /** The target exited (taking the breakpoint with it). */
    TARGET_EXITED,
    /** dlv refused or failed (an unknown location, a bad condition, a lost connection). */
    DELVE_FAILED,
    /** There was no live dlv to capture with. */
    DLV_GONE
  }
}
