package dev.gopherscope.api.v1alpha1;

/** Whether an artifact reached the object store. */
public enum ArtifactState {
  /** Written to the sidecar's local spool, not uploaded yet. */
  Spooled,
  Uploaded,
  Failed
}
