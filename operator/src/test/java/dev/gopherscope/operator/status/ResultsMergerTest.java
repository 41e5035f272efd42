package dev.gopherscope.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.HeapGrowthSummary;
import dev.gopherscope.api.v1alpha1.LeakSuspect;
import dev.gopherscope.api.v1alpha1.SessionResults;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.contract.SidecarReport.HeapGrowth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ResultsMergerTest {

  private static SidecarReport report(String pod, CaptureOutcome... captures) {
    return new SidecarReport(pod, 1, "go1.26.8", null, null, List.of(captures), List.of());
  }

  private static CaptureOutcome outcome(List<SidecarReport.LeakSuspect> leaks, List<HeapGrowth> growth) {
    return new CaptureOutcome(0, "GoroutineLeaks", "Pprof", true, 0, false, "", null, null, null, null, leaks, null, null, growth,
        null);
  }

  @Test
  void provenLeaksComeFirstWithTheirMethodAndBoundedLabels() {
    SessionResults results = ResultsMerger.results(List.of(
        report("a", outcome(List.of(new SidecarReport.LeakSuspect(List.of("main.pool"), List.of(1L, 50L, 900L))),
            null)),
        report("b", outcome(List.of(new SidecarReport.LeakSuspect(List.of("main.leakedWorker"), List.of(7L),
            SidecarReport.LEAK_PROVEN,
            // The sidecar sends labels sorted by key.
            new TreeMap<>(Map.of("route", "/work/leak", "span_id", "s", "trace_id", "t")))), null))));

    List<LeakSuspect> leaks = results.getLeakSuspects();
    assertThat(leaks).extracting(LeakSuspect::getMethod).containsExactly("Proven", "Growth");
    assertThat(leaks.get(0).getPod()).isEqualTo("b");
    assertThat(leaks.get(0).getLabels()).containsExactly(Map.entry("route", "/work/leak"), Map.entry("span_id", "s"));
    assertThat(leaks.get(1).getLabels()).isNull();
  }

  @Test
  void heapGrowersAreMergedLargestFirstWithThreeFrames() {
    SessionResults results = ResultsMerger.results(List.of(
        report("a", outcome(null, List.of(new HeapGrowth(List.of("main.small"), 1_000, 1)))),
        report("b", outcome(null, List.of(new HeapGrowth(List.of("main.retainForever", "main.handleRetain",
            "main.traced.func1", "net/http.HandlerFunc.ServeHTTP"), 8_000_000, 31))))));

    List<HeapGrowthSummary> growth = results.getHeapGrowth();
    assertThat(growth).extracting(HeapGrowthSummary::getPod).containsExactly("b", "a");
    assertThat(growth.get(0).getFrames()).containsExactly("main.retainForever", "main.handleRetain",
        "main.traced.func1");
    assertThat(growth.get(0).getBytes()).isEqualTo(8_000_000);
  }

  @Test
  void switchedOnRatesSayWhatWasSetAndWhoPutItBack() {
    CaptureOutcome mutex = new CaptureOutcome(0, "Mutex", "Pprof", true, 4, false, "", null, null, null, null, null,
        null, null, null, new SidecarReport.RateSwitch("runtime.mutexprofilerate", 0, 1, true, "Delve"));
    SessionResults results = ResultsMerger.results(List.of(report("a", mutex)));

    assertThat(results.getProfilingRates()).singleElement().satisfies(r -> {
      assertThat(r.getPod()).isEqualTo("a");
      assertThat(r.getVariable()).isEqualTo("runtime.mutexprofilerate");
      assertThat(r.getRate()).isEqualTo(1);
      assertThat(r.getPrevious()).isZero();
      assertThat(r.getRestored()).isTrue();
      assertThat(r.getRestoredBy()).isEqualTo("Delve");
    });
  }
}
