package dev.gopherscope.api.v1alpha1;

/** Where one target pod is; Done and Failed are final. */
public enum TargetPhase {
  Pending,
  Injected,
  Attached,
  Capturing,
  Uploading,
  Done,
  Failed
}
