package dev.gopherscope.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.SidecarPlan.CaptureKindName;
import dev.gopherscope.contract.SidecarPlan.PlannedArtifact;
import dev.gopherscope.contract.SidecarPlan.SessionRef;
import dev.gopherscope.contract.SidecarPlan.Source;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionPlannerTest {

  private static final SessionRef SESSION = new SessionRef("shop", "checkout-slow", "uid-1");
  private static final Instant DEADLINE = Instant.parse("2026-11-26T10:00:00Z");

  private static JsonNode spec(String json) throws Exception {
    return ContractJson.mapper().readTree(json);
  }

  @Test
  void aTriggerIsPlannedWithItsDefaultsAndTriggerJsonBeforeTheReport() throws Exception {
    SidecarPlan plan = SessionPlanner.plan(spec("""
        {"target": {"podName": "p"}, "pprof": {"port": 6060}, "trigger": {"heapInUseAbove": "512Mi"},
         "captures": [{"kind": "Heap"}]}
        """), SESSION, "p", "app", DEADLINE);
    assertThat(plan.trigger()).isEqualTo(new SidecarPlan.TriggerPlan(SidecarPlan.TriggerKind.HeapInUseAbove,
        512L << 20, null, null, null, 5_000, false));
    assertThat(plan.trigger().describe()).isEqualTo("heap in use above 536870912 bytes");
    assertThat(plan.needsDelve()).isFalse();
    assertThat(plan.artifacts()).extracting(PlannedArtifact::name)
        .containsExactly("heap.pb.gz", "heap.html", "trigger.json", "report.json");
  }

  @Test
  void aBreakpointTriggerNeedsDelveAndFiltersByTheHitByDefault() throws Exception {
    SidecarPlan plan = SessionPlanner.plan(spec("""
        {"target": {"podName": "p"}, "pprof": {"port": 6060},
         "trigger": {"breakpoint": {"location": "main.handleCheckout", "condition": "len(r.URL.Path) > 9"},
                     "pollInterval": "2s"},
         "captures": [{"kind": "CPUProfile", "duration": "1s"}]}
        """), SESSION, "p", "app", DEADLINE);
    assertThat(plan.trigger().kind()).isEqualTo(SidecarPlan.TriggerKind.Breakpoint);
    assertThat(plan.trigger().filterByHitLabels()).isTrue();
    assertThat(plan.trigger().describe()).isEqualTo("a hit at main.handleCheckout where len(r.URL.Path) > 9");
    assertThat(plan.needsDelve()).as("the trigger attaches dlv; the CPU profile alone would not").isTrue();
  }

  @Test
  void byteQuantitiesAreReadAsKubernetesWritesThem() {
    assertThat(Quantity.bytes("512Mi")).isEqualTo(536_870_912L);
    assertThat(Quantity.bytes("2Gi")).isEqualTo(2_147_483_648L);
    assertThat(Quantity.bytes("500M")).isEqualTo(500_000_000L);
    assertThat(Quantity.bytes("64k")).isEqualTo(64_000L);
    assertThat(Quantity.bytes("1048576")).isEqualTo(1_048_576L);
    assertThatThrownBy(() -> Quantity.bytes("1.5Gi")).hasMessageContaining("not a byte quantity: '1.5Gi'");
    assertThatThrownBy(() -> Quantity.bytes("99999999999Ti")).hasMessageContaining("too large");
  }

  @Test
  void appliesDefaultsAndResolvesAutoSourceToPprofWhenTheAppServesIt() throws Exception {
    SidecarPlan plan = SessionPlanner.plan(spec("""
        {"target": {"podName": "p"}, "pprof": {"port": 6060},
         "captures": [{"kind": "Goroutines", "count": 3}, {"kind": "TraceStacks"}, {"kind": "CPUProfile"}]}
        """), SESSION, "p", "app", DEADLINE);
    assertThat(plan.pauseBudgetMs()).isEqualTo(100);
    assertThat(plan.attachPauseBudgetMs()).isEqualTo(3_000);
    assertThat(plan.pprof().path()).isEqualTo("/debug/pprof");
    assertThat(plan.captures()).extracting(c -> c.source()).containsExactly(Source.Pprof, Source.Pprof, Source.Pprof);
    assertThat(plan.captures().get(0).everyMs()).isEqualTo(10_000);
    assertThat(plan.captures().get(2).durationMs()).isEqualTo(10_000);
    assertThat(plan.needsDelve()).isFalse();
    assertThat(plan.artifacts()).extracting(PlannedArtifact::name).containsExactly(
        "goroutines-1.json", "goroutines-1.pb.gz", "goroutines-2.json", "goroutines-2.pb.gz",
        "goroutines-3.json", "goroutines-3.pb.gz", "goroutines-diff.json",
        "trace-stacks.json", "trace-stacks.pb.gz", "cpu.pb.gz", "cpu.html", "report.json");
  }

  @Test
  void withoutPprofGoroutinesComeFromDelveAndSnapshotsNeedIt() throws Exception {
    SidecarPlan plan = SessionPlanner.plan(spec("""
        {"target": {"podName": "p"}, "pauseBudget": "50ms", "attachPauseBudget": "1500ms",
         "captures": [{"kind": "Goroutines"}, {"kind": "Snapshot", "location": "main.f", "loadLocals": true}]}
        """), SESSION, "p", "app", DEADLINE);
    assertThat(plan.pauseBudgetMs()).isEqualTo(50);
    assertThat(plan.attachPauseBudgetMs()).isEqualTo(1_500);
    assertThat(plan.captures().get(0).source()).isEqualTo(Source.Delve);
    assertThat(plan.captures().get(1)).satisfies(s -> {
      assertThat(s.kind()).isEqualTo(CaptureKindName.Snapshot);
      assertThat(s.maxHits()).isEqualTo(1);
      assertThat(s.loadArgs()).isTrue();
      assertThat(s.loadLocals()).isTrue();
    });
    assertThat(plan.needsDelve()).isTrue();
    assertThat(plan.artifacts()).extracting(PlannedArtifact::name)
        .containsExactly("goroutines-1.json", "snapshot-1.json", "report.json");
  }

  @Test
  void executionTraceAndRuntimeHealthRunOverADurationFromPprof() throws Exception {
    SidecarPlan plan = SessionPlanner.plan(spec("""
        {"pprof": {"port": 6060},
         "captures": [{"kind": "ExecutionTrace"}, {"kind": "RuntimeHealth", "duration": "1m"}]}"""),
        SESSION, "p", "app", DEADLINE);
    assertThat(plan.captures()).extracting(c -> c.durationMs()).containsExactly(5_000L, 60_000L);
    assertThat(plan.captures()).extracting(c -> c.source()).containsExactly(Source.Pprof, Source.Pprof);
    assertThat(plan.needsDelve()).isFalse();
    assertThat(plan.artifacts()).extracting(a -> a.name() + ":" + a.captureIndex())
        .containsExactly("trace.out:0", "trace-summary.json:0", "runtime-health.json:1", "report.json:-1");
  }

  @Test
  void normalisesTheTraceFilterToA32HexTraceId() throws Exception {
    assertThat(SessionPlanner.plan(spec("""
        {"filter": {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
         "captures": [{"kind": "TraceStacks"}]}"""), SESSION, "p", "app", DEADLINE).filter().traceId())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(SessionPlanner.plan(spec("""
        {"filter": {"traceId": "00f067aa0ba902b7", "labels": {"route": "/x"}},
         "captures": [{"kind": "TraceStacks"}]}"""), SESSION, "p", "app", DEADLINE).filter())
        .satisfies(f -> {
          assertThat(f.traceId()).isEqualTo("000000000000000000f067aa0ba902b7");
          assertThat(f.labels()).containsEntry("route", "/x");
        });
  }

  @Test
  void planSurvivesTheJsonRoundTripTheEnvironmentVariableTakes() throws Exception {
    SidecarPlan plan = SessionPlanner.plan(spec("""
        {"pprof": {"port": 6060}, "captures": [{"kind": "Heap"}], "redact": ["secret-[0-9]+"]}"""),
        SESSION, "p", "app", DEADLINE);
    String json = ContractJson.mapper().writeValueAsString(plan);
    assertThat(ContractJson.mapper().readValue(json, SidecarPlan.class)).isEqualTo(plan);
  }

  @Test
  void parsesGoDurations() {
    assertThat(GoDuration.parse("100ms")).isEqualTo(Duration.ofMillis(100));
    assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThatThrownBy(() -> GoDuration.parse("-5ms")).hasMessageContaining("not a Go duration");
    assertThatThrownBy(() -> GoDuration.parse("10")).hasMessageContaining("not a Go duration");
  }

  @Test
  void aBlockOrMutexRateSwitchedOnNeedsDelveAndADeltaWindow() throws Exception {
    SidecarPlan plan = SessionPlanner.plan(spec("""
        {"target": {"podName": "p"}, "pprof": {"port": 6060},
         "captures": [{"kind": "Mutex", "mutexProfileFraction": 5}, {"kind": "Block", "blockProfileRate": 10000,
          "duration": "3s"}, {"kind": "Block", "duration": "2s"}, {"kind": "Mutex"}]}
        """), SESSION, "p", "app", DEADLINE);
    assertThat(plan.captures()).extracting(c -> c.profileRate()).containsExactly(5L, 10_000L, 0L, 0L);
    assertThat(plan.captures()).extracting(c -> c.durationMs()).containsExactly(10_000L, 3_000L, 2_000L, 0L);
    assertThat(plan.captures()).extracting(c -> c.usesDelve()).containsExactly(true, true, false, false);
    assertThat(plan.needsDelve()).isTrue();
  }

  @Test
  void heapOverTimeAndGoroutineLeaksPlanTheirSnapshotsAndReports() throws Exception {
    SidecarPlan plan = SessionPlanner.plan(spec("""
        {"target": {"podName": "p"}, "pprof": {"port": 6060},
         "captures": [{"kind": "Heap", "every": "2s", "count": 3}, {"kind": "GoroutineLeaks"}]}
        """), SESSION, "p", "app", DEADLINE);
    assertThat(plan.captures().get(0).everyMs()).isEqualTo(2_000);
    assertThat(plan.captures().get(1).count()).isEqualTo(SessionPlanner.DEFAULT_LEAK_SNAPSHOTS);
    assertThat(plan.captures().get(1).everyMs()).isEqualTo(10_000);
    assertThat(plan.needsDelve()).isFalse();
    assertThat(plan.artifacts()).extracting(PlannedArtifact::name).containsExactly(
        "heap-1.pb.gz", "heap-2.pb.gz", "heap-3.pb.gz", "heap-growth.pb.gz", "heap-growth.html",
        "goroutine-leaks.json", "goroutineleak.pb.gz", "report.json");
  }
}
