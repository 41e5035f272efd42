package dev.gopherscope.api.v1alpha1;

/** What the operator does when the debugger may not fit the pod's memory limit. */
public enum MemoryHeadroomCheck {
  Enforce,
  Warn
}
