package dev.gopherscope.api.v1alpha1;

/** Where a trigger is: watching, fired, or over without firing. */
public enum TriggerState {
  Armed,
  Fired,
  NeverFired,
  Failed
}
