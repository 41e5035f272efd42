package dev.gopherscope.api.v1alpha1;

/** What one capture produces. */
public enum CaptureKind {
  /** Goroutine snapshots grouped by stack; with count > 1, diffs and leak suspects. */
  Goroutines,
  /** Every goroutine carrying a trace id, grouped by trace, blocked ones included. */
  TraceStacks,
  /** A CPU profile over {@code duration}, label-filtered. */
  CPUProfile,
  Heap,
  Allocs,
  Block,
  Mutex,
  /** A Delve breakpoint that records stack, args and locals, then continues. */
  Snapshot,
  /** A Go execution trace over {@code duration} (for go tool trace), summarised: pauses, goroutine time. */
  ExecutionTrace,
  /** GC pauses and rate, heap against its goal, goroutines per P and scheduler latency over {@code duration}. */
  RuntimeHealth
}
