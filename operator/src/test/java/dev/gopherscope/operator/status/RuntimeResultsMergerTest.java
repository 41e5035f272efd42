package dev.gopherscope.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.ExecutionTraceResult;
import dev.gopherscope.api.v1alpha1.RuntimeHealthResult;
import dev.gopherscope.api.v1alpha1.SessionResults;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.contract.SidecarReport.ExecutionTraceSummary;
import dev.gopherscope.contract.SidecarReport.Pauses;
import dev.gopherscope.contract.SidecarReport.RuntimeHealthSummary;
import dev.gopherscope.contract.SidecarReport.TracedGoroutine;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RuntimeResultsMergerTest {

  @Test
  void tracesOfSeveralTargetsMergeIntoOneSummaryWithTheLongestRunningGoroutines() {
    SidecarReport a = report("pod-a", trace(3000, 2, new Pauses(4, 400, 150, 90, 150), 1,
        goroutine(1, 2500, "main.burnCPU"), goroutine(2, 0, "main.waitOnChannel")), null);
    SidecarReport b = report("pod-b", trace(3100, 1, new Pauses(2, 300, 200, 100, 200), 0,
        goroutine(7, 2900, "main.burnCPU"), goroutine(8, 10, "x".repeat(300))), null);

    SessionResults results = ResultsMerger.results(List.of(a, b));

    ExecutionTraceResult trace = results.getExecutionTrace();
    assertThat(trace.getTargets()).isEqualTo(2);
    assertThat(trace.getDurationMs()).isEqualTo(3100);
    assertThat(trace.getGcCycles()).isEqualTo(3);
    assertThat(trace.getGcPauses().getCount()).isEqualTo(6);
    assertThat(trace.getGcPauses().getTotalUs()).isEqualTo(700);
    assertThat(trace.getGcPauses().getMaxUs()).isEqualTo(200);
    assertThat(trace.getGcPauses().getP99Us()).isEqualTo(200);
    assertThat(trace.getMatched()).isEqualTo(4);
    assertThat(trace.getAmbiguous()).isEqualTo(1);
    assertThat(trace.getGoroutines()).hasSize(RuntimeResultsMerger.TRACED_GOROUTINES)
        .extracting(g -> g.getPod() + "/" + g.getId()).containsExactly("pod-b/7", "pod-a/1", "pod-b/8");
    assertThat(trace.getGoroutines().get(2).getFrames()).singleElement().satisfies(f -> assertThat(f).hasSize(128));
    assertThat(results.getRuntimeHealth()).isNull();
  }

  @Test
  void healthIsOneEntryPerTargetWorstGcPauseFirstAtMostFive() {
    List<SidecarReport> reports = IntStream.range(0, 7).mapToObj(i -> report("pod-" + i, null,
        new RuntimeHealthSummary(30_000, 10 + i, 20.0 + 2 * i, new Pauses(10 + i, 1000, 100 * i, 50, 90 * i),
            8 << 20, 16 << 20, 300L, 2L, 150.0, new Pauses(100, 5000, 900, 20, 400), "sources"))).toList();

    List<RuntimeHealthResult> health = ResultsMerger.results(reports).getRuntimeHealth();

    assertThat(health).hasSize(RuntimeResultsMerger.HEALTH_TARGETS).extracting(RuntimeHealthResult::getPod)
        .containsExactly("pod-6", "pod-5", "pod-4", "pod-3", "pod-2");
    assertThat(health.get(0).getGcPerMinute()).isEqualTo(32.0);
    assertThat(health.get(0).getGcPauses().getP99Us()).isEqualTo(540);
    assertThat(health.get(0).getSchedulerLatency().getP99Us()).isEqualTo(400);
    assertThat(ResultsMerger.results(reports).getExecutionTrace()).isNull();
  }

  private static SidecarReport report(String pod, ExecutionTraceSummary trace, RuntimeHealthSummary health) {
    CaptureOutcome outcome = new CaptureOutcome(0, trace != null ? "ExecutionTrace" : "RuntimeHealth", "Pprof", true,
        0, false, "ok", null, null, null, null, null, trace, health, null,
        null);
    return new SidecarReport(pod, 1, "go1.26.8", null, null, List.of(outcome), List.of());
  }

  private static ExecutionTraceSummary trace(long ms, int gcCycles, Pauses gc, int ambiguous,
      TracedGoroutine... goroutines) {
    return new ExecutionTraceSummary(ms, gcCycles, gc, gc, new Pauses(50, 500, 90, 5, 80), 300, goroutines.length,
        ambiguous, List.of(goroutines));
  }

  private static TracedGoroutine goroutine(long id, double runningMs, String frame) {
    return new TracedGoroutine(id, runningMs, 0, 0, 3000 - runningMs, null, List.of(frame));
  }
}
