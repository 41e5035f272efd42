package dev.gopherscope.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprofhttp.FixturePprofServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the recorded goroutine profile of four traced requests (see src/test/resources/pprof/README.md). */
class TraceStacksTest {

  private static final String CPU = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String BLOCK = "0af7651916cd43dd8448eb211c80319c";
  private static final String SLEEP = "a3ce929d0e0e47364bf92f3577b34da6";
  private static final String FANOUT = "5b8aa5a2d2c872e8321cf37308d69df2";

  @TempDir
  Path spool;
  private FixturePprofServer app;

  @BeforeEach
  void serve() {
    app = new FixturePprofServer().serveFixture("/debug/pprof/goroutine", "goroutine-traced.pb.gz");
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void groupsEveryTracedGoroutineByTraceWithBlockedOnesMarked() throws Exception {
    SidecarPlan plan = TestSessions.plan("{pprof: {port: 1}, captures: [{kind: TraceStacks}]}");

    CaptureOutcome outcome = new TraceStacks(plan.captures().get(0))
        .run(TestSessions.context(plan, app.port(), spool, TestSessions.progress()));

    JsonNode doc = ContractJson.mapper().readTree(spool.resolve("trace-stacks.json").toFile());
    Map<String, JsonNode> traces = new HashMap<>();
    doc.path("traces").forEach(t -> traces.put(t.path("traceId").asText(), t));
    assertThat(traces).containsOnlyKeys(CPU, BLOCK, SLEEP, FANOUT);
    assertThat(traces.get(CPU).path("blocked").asLong()).isZero();
    assertThat(traces.get(BLOCK).path("blocked").asLong()).isEqualTo(1);
    assertThat(traces.get(SLEEP).path("blocked").asLong()).isEqualTo(1);
    assertThat(traces.get(FANOUT).path("goroutines").asLong()).isEqualTo(6);
    assertThat(traces.get(FANOUT).path("blocked").asLong()).isEqualTo(6);
    assertThat(traces.get(BLOCK).path("spanIds").get(0).asText()).isEqualTo("b7ad6b7169203331");
    assertThat(functions(traces.get(BLOCK))).contains("main.waitOnChannel").doesNotContain("main.sleepFor");
    assertThat(functions(traces.get(SLEEP))).contains("main.sleepFor").doesNotContain("main.waitOnChannel");
    assertThat(functions(traces.get(CPU))).contains("main.burnCPU");
    assertThat(doc.toString()).doesNotContain("main.idleWorker");

    assertThat(outcome.ok()).isTrue();
    assertThat(outcome.traceStacks()).hasSize(4);
    assertThat(outcome.traceStacks()).filteredOn(t -> t.traceId().equals(BLOCK)).singleElement()
        .satisfies(t -> assertThat(t.topFrames()).startsWith("main.waitOnChannel"));

    PprofProfile traced = new PprofDecoder().decode(Files.readAllBytes(spool.resolve("trace-stacks.pb.gz")));
    assertThat(traced.total(0)).isEqualTo(doc.path("tracedGoroutines").asLong());
  }

  @Test
  void aTraceInTheFilterKeepsOnlyThatTrace() throws Exception {
    SidecarPlan plan = TestSessions.plan("{pprof: {port: 1}, filter: {traceparent: 00-" + SLEEP
        + "-53995c3f42cd8ad8-01}, captures: [{kind: TraceStacks}]}");

    new TraceStacks(plan.captures().get(0)).run(TestSessions.context(plan, app.port(), spool, TestSessions.progress()));

    JsonNode doc = ContractJson.mapper().readTree(spool.resolve("trace-stacks.json").toFile());
    assertThat(doc.path("traces")).hasSize(1);
    assertThat(doc.path("traces").get(0).path("traceId").asText()).isEqualTo(SLEEP);
  }

  @Test
  void labelValuesAreRedactedInTheArtifacts() throws Exception {
    SidecarPlan plan = TestSessions.plan("{pprof: {port: 1}, redact: ['/work/(cpu|block|sleep|fanout)'], "
        + "captures: [{kind: TraceStacks}]}");

    new TraceStacks(plan.captures().get(0)).run(TestSessions.context(plan, app.port(), spool, TestSessions.progress()));

    String json = Files.readString(spool.resolve("trace-stacks.json"));
    assertThat(json).doesNotContain("/work/cpu", "/work/block", "/work/sleep", "/work/fanout")
        .contains("\"route\" : \"[REDACTED]\"", "/work/main/examples/demo-service/workloads.go");
    PprofProfile traced = new PprofDecoder().decode(Files.readAllBytes(spool.resolve("trace-stacks.pb.gz")));
    for (int i = 0; i < traced.strings().size(); i++) {
      assertThat(traced.string(i)).doesNotMatch("/work/(cpu|block|sleep|fanout)");
    }
  }

  private static List<String> functions(JsonNode trace) {
    List<String> functions = new ArrayList<>();
    trace.path("stacks").forEach(s -> s.path("frames").forEach(f -> functions.add(f.path("function").asText())));
    return functions;
  }
}
