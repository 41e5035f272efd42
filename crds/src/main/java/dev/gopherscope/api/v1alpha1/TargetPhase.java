package dev.gopherscope.api.v1alpha1;

/** Where one target pod is; Done and Failed are final. */
public enum TargetPhase {
  Pending,
  Injected,
  Attached,
  /** Watching for spec.trigger's condition. */
  Armed,
  Capturing,
  Uploading,
  Done,
  Failed
}
