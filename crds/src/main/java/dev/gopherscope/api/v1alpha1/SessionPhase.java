package dev.gopherscope.api.v1alpha1;

/** Where a session is in its life; Succeeded and Failed are final. */
public enum SessionPhase {
  Pending,
  Injecting,
  Attaching,
  Capturing,
  Uploading,
  Succeeded,
  Failed
}
