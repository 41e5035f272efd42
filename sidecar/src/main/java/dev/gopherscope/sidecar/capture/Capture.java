package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarReport.CaptureOutcome;

/**
 * One planned capture (a goroutine snapshot series, the trace stacks, a profile, a breakpoint
 * snapshot). It writes its artifacts through {@link CaptureContext#artifacts()} as it goes and
 * returns how it went; {@link CaptureRunner} turns an exception into a failed outcome and
 * collects what was spooled either way, so an implementation only describes the good path.
 */
public interface Capture {

  /**
   * Captures, spooling artifacts as it goes.
   *
   * @throws RuntimeException when it cannot; the message becomes the capture's status message
   */
  CaptureOutcome run(CaptureContext context);
}
