package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import java.util.List;

/** How one capture went and the artifacts it spooled (a failed capture may still have spooled some). */
public record CaptureResult(CaptureOutcome outcome, List<SpooledArtifact> artifacts) {

  public CaptureResult {
    artifacts = List.copyOf(artifacts);
  }
}
