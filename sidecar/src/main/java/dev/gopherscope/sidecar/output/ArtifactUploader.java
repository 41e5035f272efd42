package dev.gopherscope.sidecar.output;

/** Sends a spooled artifact to the object store. */
public interface ArtifactUploader {

  /** Uploads {@code artifact}; throws {@link UploadException} when it cannot, after its own retries. */
  void upload(SpooledArtifact artifact);

  /** The artifact did not arrive; the message says why (and the spool still has it). */
  final class UploadException extends RuntimeException {
    public UploadException(String message) {
      super(message);
    }
  }
}
