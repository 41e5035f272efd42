package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.ExecutionTraceResult;
import dev.gopherscope.api.v1alpha1.HeapGrowthSummary;
import dev.gopherscope.api.v1alpha1.PauseSummary;
import dev.gopherscope.api.v1alpha1.ProfilingRateSummary;
import dev.gopherscope.api.v1alpha1.RuntimeHealthResult;
import dev.gopherscope.api.v1alpha1.SessionResults;
import dev.gopherscope.api.v1alpha1.TracedGoroutineSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The summary lines of the captures that watch the runtime (ExecutionTrace, RuntimeHealth, Heap over
 * time, Block/Mutex switched on in place), from the session's status; the artifacts hold the rest.
 */
final class RuntimeFigures {

  private static final int TOP = 5;
  private final PrintWriter out;

  RuntimeFigures(PrintWriter out) {
    this.out = out;
  }

  void print(SessionResults results) {
    trace(results.getExecutionTrace());
    for (RuntimeHealthResult health : nullSafe(results.getRuntimeHealth())) {
      health(health);
    }
    if (!nullSafe(results.getHeapGrowth()).isEmpty()) {
      out.println("Heap growth, first to last snapshot (in-use bytes):");
      for (HeapGrowthSummary grower : results.getHeapGrowth().stream().limit(TOP).toList()) {
        out.printf(Locale.ROOT, "  %+12d  %s  [%s]%n", grower.getBytes(), String.join(" <- ", nullSafe(grower.getFrames())),
            grower.getPod());
      }
    }
    for (ProfilingRateSummary rate : nullSafe(results.getProfilingRates())) {
      out.printf(Locale.ROOT, "Profiling switched on in place [%s]: %s set to %d (was %d), %s%n", rate.getPod(),
          rate.getVariable(), rate.getRate(), rate.getPrevious(), Boolean.TRUE.equals(rate.getRestored())
              ? "put back by " + rate.getRestoredBy() : "NOT put back");
    }
  }

  private void trace(ExecutionTraceResult trace) {
    if (trace == null) {
      return;
    }
    out.printf(Locale.ROOT, "Execution trace: %d ms, %d GC cycles, GC pauses %s, stop-the-world %s, scheduler latency %s%n",
        trace.getDurationMs(), trace.getGcCycles(), pauses(trace.getGcPauses()), pauses(trace.getStwPauses()),
        pauses(trace.getSchedulerLatency()));
    if (trace.getMatched() != null) {
      out.printf(Locale.ROOT, "  the filter's goroutines: %d found%s%n", trace.getMatched(),
          trace.getAmbiguous() == null || trace.getAmbiguous() == 0 ? ""
              : ", " + trace.getAmbiguous() + " left out (their stack is shared with goroutines outside the filter)");
    }
    for (TracedGoroutineSummary g : nullSafe(trace.getGoroutines()).stream().limit(TOP).toList()) {
      out.printf(Locale.ROOT, "  goroutine %d  running %.0f ms, runnable %.0f ms, blocked %.0f ms%s  %s%n", g.getId(),
          orZero(g.getRunningMs()), orZero(g.getRunnableMs()), orZero(g.getBlockedMs()),
          g.getBlockedOn() == null ? "" : " (" + g.getBlockedOn() + ")", String.join(" <- ", nullSafe(g.getFrames())));
    }
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
  }

  private void health(RuntimeHealthResult health) {
    out.printf(Locale.ROOT, "Runtime health [%s] over %d s: %.1f GC/min, GC pauses %s, heap in use %s of goal %s, "
        + "%s goroutines (%s per P), scheduler latency %s%n", health.getPod(),
        health.getIntervalMs() == null ? 0 : health.getIntervalMs() / 1000, health.getGcPerMinute() == null ? 0
            : health.getGcPerMinute(), pauses(health.getGcPauses()), mib(health.getHeapInuseBytes()),
        mib(health.getHeapGoalBytes()), health.getGoroutines() == null ? "?" : health.getGoroutines(),
        health.getGoroutinesPerProc() == null ? "?" : String.format(Locale.ROOT, "%.0f", health.getGoroutinesPerProc()),
        pauses(health.getSchedulerLatency()));
  }

  /** {@code p99 1.2 ms, max 3.4 ms} or {@code -}. */
  static String pauses(PauseSummary pauses) {
    if (pauses == null || pauses.getCount() == null || pauses.getCount() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "p99 %.1f ms, max %.1f ms", micros(pauses.getP99Us()) / 1000,
        micros(pauses.getMaxUs()) / 1000);
  }

  private static double micros(Long value) {
    return value == null ? 0 : value;
  }

  private static String mib(Long bytes) {
    return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
