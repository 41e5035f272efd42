package dev.gopherscope.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprofhttp.FixturePprofServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoroutineSnapshotsTest {

  @TempDir
  Path spool;

  @Test
  void writesEachSnapshotTheDiffAndASummary() throws Exception {
    SidecarPlan plan = TestSessions.plan("{pprof: {port: 1}, filter: {labels: {route: /idle}}, "
        + "captures: [{kind: Goroutines, every: 100ms, count: 3}]}");
    List<String> progress = TestSessions.progress();
    try (FixturePprofServer app = new FixturePprofServer()
        .serveFixture("/debug/pprof/goroutine", "goroutine-traced.pb.gz")) {
      long started = System.nanoTime();
      CaptureOutcome outcome = new GoroutineSnapshots(plan.captures().get(0))
          .run(TestSessions.context(plan, app.port(), spool, progress));

      assertThat((System.nanoTime() - started) / 1_000_000).as("three snapshots on a 100 ms schedule")
          .isGreaterThanOrEqualTo(200);
      assertThat(outcome.ok()).isTrue();
      assertThat(outcome.matchedGoroutines()).isEqualTo(20);
      assertThat(outcome.goroutines()).isGreaterThan(20);
      assertThat(outcome.topGroups()).isNotEmpty()
          .allSatisfy(g -> assertThat(g.frames()).startsWith("main.idleWorker"));
      assertThat(outcome.leakSuspects()).as("a steady count is no leak").isEmpty();
      assertThat(progress).hasSize(3);
    }
    for (int k = 1; k <= 3; k++) {
      JsonNode doc = ContractJson.mapper().readTree(spool.resolve("goroutines-" + k + ".json").toFile());
      assertThat(doc.path("snapshot").asInt()).isEqualTo(k);
      assertThat(doc.path("matchedGoroutines").asLong()).isEqualTo(20);
      assertThat(doc.path("groups").get(0).path("blocked").asBoolean()).isTrue();
      assertThat(doc.path("groups").get(0).path("labelSets").get(0).path("route").asText()).isEqualTo("/idle");
      assertThat(new PprofDecoder().decode(Files.readAllBytes(spool.resolve("goroutines-" + k + ".pb.gz"))).total(0))
          .isEqualTo(20);
    }
    JsonNode diff = ContractJson.mapper().readTree(spool.resolve("goroutines-diff.json").toFile());
    assertThat(diff.path("steps")).hasSize(2);
    assertThat(diff.path("steps").get(0).path("grown")).isEmpty();
  }

  @Test
  void aPprofFailureFailsTheCaptureWithTheReason() {
    SidecarPlan plan = TestSessions.plan("{pprof: {port: 1}, captures: [{kind: Goroutines}]}");
    try (FixturePprofServer app = new FixturePprofServer()) {
      CaptureContext context = TestSessions.context(plan, app.port(), spool, TestSessions.progress());

      CaptureResult result = CaptureRunner.run(new GoroutineSnapshots(plan.captures().get(0)), plan.captures().get(0),
          context);

      assertThat(result.outcome().ok()).isFalse();
      assertThat(result.outcome().message()).contains("answered 404 for /debug/pprof/goroutine");
      assertThat(result.artifacts()).isEmpty();
    }
  }
}
