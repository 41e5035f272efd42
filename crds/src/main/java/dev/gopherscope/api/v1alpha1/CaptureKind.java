package dev.gopherscope.api.v1alpha1;

/** What one capture produces. */
public enum CaptureKind {
  /** Goroutine snapshots grouped by stack; with count > 1, diffs and leak suspects. */
  Goroutines,
  /** Every goroutine carrying a trace id, grouped by trace, blocked ones included. */
  TraceStacks,
  /** A CPU profile over {@code duration}, label-filtered. */
  CPUProfile,
  /** The in-use heap; with count > 1, its growth per stack from the first snapshot to the last. */
  Heap,
  Allocs,
  Block,
  Mutex,
  /** A Delve breakpoint that records stack, args and locals, then continues. */
  Snapshot,
  /** A Go execution trace over {@code duration} (for go tool trace), summarised: pauses, goroutine time. */
  ExecutionTrace,
  /** GC pauses and rate, heap against its goal, goroutines per P and scheduler latency over {@code duration}. */
  RuntimeHealth,
  /**
   * Goroutines leaked for good: proven by the garbage collector where the app serves Go 1.26's
   * goroutineleak profile, else suspected from growth over snapshots.
   */
  GoroutineLeaks
}
