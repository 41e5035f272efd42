package dev.gopherscope.api.v1alpha1;

/** Where a session is in its life; Succeeded and Failed are final. */
public enum SessionPhase {
  Pending,
  Injecting,
  Attaching,
  /** Waiting for spec.trigger's condition on every target still working. */
  Armed,
  Capturing,
  Uploading,
  Succeeded,
  Failed;

  /** Succeeded or Failed: nothing changes after. */
  public boolean isFinal() {
    return this == Succeeded || this == Failed;
  }
}
