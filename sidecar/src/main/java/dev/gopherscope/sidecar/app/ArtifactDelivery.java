package dev.gopherscope.sidecar.app;

import dev.gopherscope.contract.SidecarReport.ArtifactRecord;
import dev.gopherscope.sidecar.output.ArtifactUploader;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import java.util.Optional;

/**
 * Takes spooled artifacts where they belong and records how that went for {@code report.json}:
 * uploaded (the object store has them), failed (the spool still has them, the message says why),
 * or spooled (local mode writing to a directory, where the spool is the destination).
 */
final class ArtifactDelivery {

  static final String UPLOADED = "Uploaded";
  static final String FAILED = "Failed";
  static final String SPOOLED = "Spooled";

  private final Optional<ArtifactUploader> uploader;

  private ArtifactDelivery(Optional<ArtifactUploader> uploader) {
    this.uploader = uploader;
  }

  /** Artifacts stay where they were spooled. */
  static ArtifactDelivery keepLocal() {
    return new ArtifactDelivery(Optional.empty());
  }

  static ArtifactDelivery uploadingWith(ArtifactUploader uploader) {
    return new ArtifactDelivery(Optional.of(uploader));
  }

  boolean uploads() {
    return uploader.isPresent();
  }

  ArtifactRecord deliver(SpooledArtifact artifact) {
    if (uploader.isEmpty()) {
      return record(artifact, SPOOLED, null);
    }
    try {
      uploader.get().upload(artifact);
      return record(artifact, UPLOADED, null);
    } catch (RuntimeException e) {
      return record(artifact, FAILED, e.getMessage() + " (kept in the spool at " + artifact.file() + ")");
    }
  }

  private static ArtifactRecord record(SpooledArtifact artifact, String state, String message) {
    return new ArtifactRecord(artifact.name(), artifact.kind(), artifact.bytes(), artifact.sha256(), state, message);
  }
}
