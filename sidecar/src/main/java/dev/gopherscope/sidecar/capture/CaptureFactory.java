package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.CapturePlan;

/** The {@link Capture} that carries out a planned capture, by its kind. */
public final class CaptureFactory {

  private CaptureFactory() {
  }

  public static Capture create(CapturePlan plan) {
    return switch (plan.kind()) {
      case Goroutines -> new GoroutineSnapshots(plan);
      case TraceStacks -> new TraceStacks(plan);
      case Heap -> plan.count() > 1 ? new HeapGrowthCapture(plan) : new ProfileCapture(plan);
      case CPUProfile, Allocs, Block, Mutex -> new ProfileCapture(plan);
      case Snapshot -> new BreakpointSnapshot(plan);
      case ExecutionTrace -> new ExecutionTraceCapture(plan);
      case RuntimeHealth -> new RuntimeHealthCapture(plan);
      case GoroutineLeaks -> new GoroutineLeaks(plan);
    };
  }
}
