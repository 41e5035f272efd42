package dev.gopherscope.sidecar.trigger;

import dev.gopherscope.contract.TargetReport.TriggerReport;
import dev.gopherscope.sidecar.capture.delve.SnapshotHit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a trigger stands: while armed (each poll's progress) and at its end.
 *
 * @param reason CamelCase, when it ended without firing: {@link #NEVER_FIRED}, or why it could not watch
 * @param polls polls made; for a breakpoint trigger, hits at the location (0 or 1)
 * @param value the last figure read, null before any (and for a breakpoint trigger)
 * @param peak the highest figure read, null before any
 * @param slowestPollMs the longest one poll took (a breakpoint trigger: the hit's halt)
 * @param firedAt when it fired, null unless it did
 * @param hit the goroutine that fired a breakpoint trigger
 * @param readings the latest polls, oldest first (bounded: see {@link PolledTrigger#READINGS_KEPT})
 */
public record TriggerOutcome(State state, String reason, String message, long polls, Long value, Long peak,
    long slowestPollMs, Instant firedAt, Optional<SnapshotHit> hit, List<Reading> readings) {

  /** The trigger's time ran out: the session's deadline, less the reserve to report and upload. */
  public static final String NEVER_FIRED = "TriggerNeverFired";
  /** The trigger could not watch: its polls failed, or the breakpoint could not be set or held. */
  public static final String FAILED = "TriggerFailed";

  /** As the status spells it (TriggerState in the CRD). */
  public enum State {
    Armed, Fired, NeverFired, Failed
  }

  /** One poll: when, what it read, how long the app took to answer. */
  public record Reading(Instant at, long value, long tookMs) {
  }

  public TriggerOutcome {
    readings = List.copyOf(readings);
  }

  /** An outcome with nothing read: arming, or an end before any poll or hit. */
  public static TriggerOutcome withoutReadings(State state, String reason, String message, long pausedMs) {
    return new TriggerOutcome(state, reason, message, 0, null, null, pausedMs, null, Optional.empty(), List.of());
  }

  public boolean fired() {
    return state == State.Fired;
  }

  /** The hit goroutine's pprof labels; empty unless a breakpoint fired on a labelled goroutine. */
  public Map<String, String> hitLabels() {
    return hit.map(SnapshotHit::labels).orElse(Map.of());
  }

  /** The sidecar's entry for the status. */
  public TriggerReport report() {
    return new TriggerReport(state.name(), polls, value, peak, slowestPollMs,
        firedAt == null ? null : firedAt.toString());
  }
}
