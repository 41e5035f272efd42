package dev.gopherscope.sidecar.capture;

import java.time.Duration;

/** Where goroutine snapshots come from: the app's pprof endpoint (no halt) or Delve (a halt within a budget). */
interface GoroutineSource {

  /**
   * Takes one snapshot.
   *
   * @param pauseBudget the most this snapshot may halt the target (ignored by sources that do not halt)
   */
  GoroutineSnapshot take(CaptureContext context, Duration pauseBudget);
}
