package dev.gopherscope.sidecar.capture.delve;

import java.time.Duration;

/**
 * How one halt ended.
 *
 * @param paused from asking for the halt to the resume being confirmed, or to dlv's death when the
 *     watchdog had to kill it
 * @param released whether the watchdog killed dlv to end it
 */
public record HaltOutcome(Duration paused, boolean released) {

  public double pausedMs() {
    return paused.toNanos() / 1e6;
  }
}
