package dev.gopherscope.api.v1alpha1;

/** Where goroutine data comes from. */
public enum CaptureSource {
  /** pprof when spec.pprof is set (no halt), else Delve within the pause budget. */
  Auto,
  /** Only the app's pprof goroutine profile; never halts the target. */
  Pprof,
  /** Only Delve; halts the target within the pause budget, adds wait times. */
  Delve
}
