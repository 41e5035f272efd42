package dev.gopherscope.operator.status;

import dev.gopherscope.api.v1alpha1.ExecutionTraceResult;
import dev.gopherscope.api.v1alpha1.PauseSummary;
import dev.gopherscope.api.v1alpha1.RuntimeHealthResult;
import dev.gopherscope.api.v1alpha1.TracedGoroutineSummary;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.contract.SidecarReport.ExecutionTraceSummary;
import dev.gopherscope.contract.SidecarReport.Pauses;
import dev.gopherscope.contract.SidecarReport.RuntimeHealthSummary;
import dev.gopherscope.contract.SidecarReport.TracedGoroutine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Folds the ExecutionTrace and RuntimeHealth figures of several targets into the status: the
 * traces into one summary (counts add up, maxima and percentiles are the worst target's), the
 * health figures one entry per target, worst GC pause first, each cut to the schema's limits.
 */
final class RuntimeResultsMerger {

  static final int TRACED_GOROUTINES = 3;
  static final int HEALTH_TARGETS = 5;
  static final int GOROUTINE_FRAMES = 3;

  private RuntimeResultsMerger() {
  }

  /** The traces of every target, merged; null when no target traced. */
  static ExecutionTraceResult executionTrace(List<SidecarReport> reports) {
    ExecutionTraceResult merged = null;
    List<TracedGoroutineSummary> goroutines = new ArrayList<>();
    for (SidecarReport report : reports) {
      for (ExecutionTraceSummary trace : outcomes(report).stream().map(CaptureOutcome::executionTrace)
          .filter(Objects::nonNull).toList()) {
        if (merged == null) {
          merged = new ExecutionTraceResult();
          merged.setTargets(0);
          merged.setDurationMs(0L);
          merged.setGcCycles(0);
          merged.setGoroutinesAlive(0);
        }
        merged.setTargets(merged.getTargets() + 1);
        merged.setDurationMs(Math.max(merged.getDurationMs(), trace.durationMs()));
        merged.setGcCycles(merged.getGcCycles() + trace.gcCycles());
        merged.setGcPauses(add(merged.getGcPauses(), trace.gcPauses()));
        merged.setStwPauses(add(merged.getStwPauses(), trace.stwPauses()));
        merged.setSchedulerLatency(add(merged.getSchedulerLatency(), trace.schedulerLatency()));
        merged.setGoroutinesAlive(merged.getGoroutinesAlive() + trace.goroutinesAlive());
        merged.setMatched(sum(merged.getMatched(), trace.matched()));
        merged.setAmbiguous(sum(merged.getAmbiguous(), trace.ambiguous()));
        for (TracedGoroutine g : trace.goroutines() == null ? List.<TracedGoroutine>of() : trace.goroutines()) {
          goroutines.add(goroutine(report.pod(), g));
        }
      }
    }
    if (merged != null) {
      goroutines.sort(Comparator.comparingDouble(TracedGoroutineSummary::getRunningMs)
          .thenComparingDouble(TracedGoroutineSummary::getBlockedMs).reversed());
      merged.setGoroutines(goroutines.subList(0, Math.min(TRACED_GOROUTINES, goroutines.size())));
    }
    return merged;
  }

  /** One entry per target that measured its runtime's health, longest GC pause p99 first. */
  static List<RuntimeHealthResult> runtimeHealth(List<SidecarReport> reports) {
    List<RuntimeHealthResult> all = new ArrayList<>();
    for (SidecarReport report : reports) {
      for (RuntimeHealthSummary h : outcomes(report).stream().map(CaptureOutcome::runtimeHealth)
          .filter(Objects::nonNull).toList()) {
        RuntimeHealthResult result = new RuntimeHealthResult();
        result.setPod(report.pod());
        result.setIntervalMs(h.intervalMs());
        result.setGcCycles(h.gcCycles());
        result.setGcPerMinute(h.gcPerMinute());
        result.setGcPauses(pauses(h.gcPauses()));
        result.setHeapInuseBytes(h.heapInuseBytes());
        result.setHeapGoalBytes(h.heapGoalBytes());
        result.setGoroutines(h.goroutines());
        result.setGomaxprocs(h.gomaxprocs());
        result.setGoroutinesPerProc(h.goroutinesPerProc());
        result.setSchedulerLatency(pauses(h.schedulerLatency()));
        all.add(result);
      }
    }
    all.sort(Comparator.comparingLong((RuntimeHealthResult r) -> r.getGcPauses() == null ? 0 : r.getGcPauses().getP99Us())
        .reversed());
    return all.subList(0, Math.min(HEALTH_TARGETS, all.size()));
  }

  private static TracedGoroutineSummary goroutine(String pod, TracedGoroutine g) {
    TracedGoroutineSummary summary = new TracedGoroutineSummary();
    summary.setPod(pod);
    summary.setId(g.id());
    summary.setRunningMs(g.runningMs());
    summary.setRunnableMs(g.runnableMs());
    summary.setSyscallMs(g.syscallMs());
    summary.setBlockedMs(g.blockedMs());
    summary.setBlockedOn(ResultsMerger.cut(g.blockedOn(), 128));
    summary.setFrames(g.frames() == null ? null
        : g.frames().stream().limit(GOROUTINE_FRAMES).map(f -> ResultsMerger.cut(f, 128)).toList());
    return summary;
  }

  static PauseSummary pauses(Pauses p) {
    if (p == null) {
      return null;
    }
    PauseSummary summary = new PauseSummary();
    summary.setCount(p.count());
    summary.setTotalUs(p.totalUs());
    summary.setMaxUs(p.maxUs());
    summary.setP50Us(p.p50Us());
    summary.setP99Us(p.p99Us());
    return summary;
  }

  /** Counts and totals add up; the maximum and the percentiles are the highest of either. */
  private static PauseSummary add(PauseSummary merged, Pauses p) {
    if (p == null) {
      return merged;
    }
    if (merged == null) {
      return pauses(p);
    }
    merged.setCount(merged.getCount() + p.count());
    merged.setTotalUs(merged.getTotalUs() + p.totalUs());
    merged.setMaxUs(Math.max(merged.getMaxUs(), p.maxUs()));
    merged.setP50Us(Math.max(merged.getP50Us(), p.p50Us()));
    merged.setP99Us(Math.max(merged.getP99Us(), p.p99Us()));
    return merged;
  }

  private static Integer sum(Integer a, Integer b) {
    return a == null ? b : b == null ? a : a + b;
  }

  private static List<CaptureOutcome> outcomes(SidecarReport report) {
    return report.captures() == null ? List.of() : report.captures();
  }
}
