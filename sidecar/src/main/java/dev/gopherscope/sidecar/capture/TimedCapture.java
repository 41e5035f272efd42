package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import java.time.Duration;

/**
 * How long a capture that runs over its {@code duration} (CPU profile, execution trace, runtime
 * health) may run: never past the session's deadline. It is shortened to fit, in whole seconds
 * (the pprof endpoints take nothing finer and round up), and refused when less than a second is left.
 */
final class TimedCapture {

  /** Left at the deadline for writing, uploading and reporting. */
  static final Duration DEADLINE_RESERVE = Duration.ofSeconds(5);

  private TimedCapture() {
  }

  static Duration fit(CapturePlan plan, CaptureContext context, String what) {
    Duration wanted = Duration.ofMillis(Math.max(1, plan.durationMs()));
    Duration available = context.remaining().minus(DEADLINE_RESERVE);
    if (available.compareTo(wanted) >= 0) {
      return wanted;
    }
    if (available.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new CaptureException("not enough time left before the session's deadline for " + what + " (needs 1 s and "
          + DEADLINE_RESERVE.toSeconds() + " s to spare)");
    }
    return Duration.ofSeconds(available.toSeconds());
  }

  /** The note for a capture that was shortened, or "" when it was not. */
  static String shortenedNote(CapturePlan plan, Duration duration) {
    return duration.toMillis() < plan.durationMs()
        ? "shortened to " + duration.toSeconds() + " s to end before the session's deadline; " : "";
  }
}
