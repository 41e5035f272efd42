package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.ExecutionTraceSummary;
import dev.gopherscope.contract.SidecarReport.RuntimeHealthSummary;
import dev.gopherscope.contract.SidecarReport.TracedGoroutine;
import dev.gopherscope.sidecar.capture.TraceSummaryTool;
import dev.gopherscope.sidecar.pprof.GoPprof;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExecutionTrace and RuntimeHealth in local mode against the real Go demo, with the real
 * trace-summary helper beside the real dlv, as in the sidecar image: the demo's known workloads
 * must show up in what the trace says (the CPU burner running, the channel waiter blocked on its
 * receive), and allocation load must show up as GC cycles and pauses.
 */
class RuntimeCapturesIT {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String OTHER_TRACE = "5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c";
  private static final int IDLE = 200;

  private static GoDemoProcess demo;
  private static Path dlv;

  @TempDir
  Path dir;

  @BeforeAll
  static void startDemo() {
    dlv = TestEnvironment.get().dlv();
    Assumptions.assumeTrue(Files.isExecutable(dlv.resolveSibling(TraceSummaryTool.NAME)),
        dlv.resolveSibling(TraceSummaryTool.NAME) + " is missing (testenv/build-tools.sh builds it): skipping");
    demo = GoDemoProcess.start(IDLE);
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void executionTraceShowsTheTracesGoroutinesRunningAndBlocked() throws Exception {
    List<CompletableFuture<String>> inFlight = List.of(
        demo.getTraced("/work/cpu?ms=9000", traceparent(TRACE)),
        demo.getTraced("/work/block?ms=9000", traceparent(TRACE)),
        demo.getTraced("/work/sleep?ms=9000", traceparent(OTHER_TRACE)));
    Path out = dir.resolve("trace");
    Result result;
    try (AllocationLoad load = new AllocationLoad()) {
      awaitInFlight();
      result = capture("""
          spec:
            pprof: {port: %d}
            filter: {traceparent: %s}
            captures:
              - {kind: ExecutionTrace, duration: 3s}
          """.formatted(demo.pprofPort(), traceparent(TRACE)), out);
    }

    assertThat(result.exit()).as(result.stdout() + result.stderr()).isZero();
    assertThat(result.stdout()).contains("go tool trace: " + out.resolve("trace.out"));
    SidecarReport.CaptureOutcome outcome = report(out).captures().get(0);
    ExecutionTraceSummary trace = outcome.executionTrace();
    assertThat(trace).as(outcome.message()).isNotNull();
    assertThat(trace.durationMs()).isBetween(2900L, 3500L);
    assertThat(trace.matched()).as(outcome.message()).isEqualTo(2);
    assertThat(trace.ambiguous()).isZero();
    assertThat(trace.goroutines()).hasSize(2);
    TracedGoroutine burner = trace.goroutines().get(0);
    assertThat(burner.frames()).as("longest-running first").contains("main.burnCPU");
    // Two cores shared with the allocation load, the sidecar and the test: well over a quarter of the time.
    assertThat(burner.runningMs()).isGreaterThan(trace.durationMs() / 4.0);
    assertThat(burner.runningMs() + burner.runnableMs()).isGreaterThan(trace.durationMs() * 0.9);
    TracedGoroutine waiter = trace.goroutines().get(1);
    assertThat(waiter.frames()).contains("main.waitOnChannel");
    assertThat(waiter.blockedOn()).isEqualTo("chan receive at main.waitOnChannel");
    assertThat(waiter.blockedMs()).isGreaterThan(trace.durationMs() * 0.95);
    assertThat(waiter.runningMs()).isLessThan(1);
    assertThat(trace.goroutines()).noneMatch(g -> g.frames().contains("main.sleepFor"));

    assertThat(trace.gcCycles()).as("allocation load runs the GC").isPositive();
    assertThat(trace.gcPauses().count()).isGreaterThanOrEqualTo(2L * trace.gcCycles() - 2);
    assertThat(trace.gcPauses().maxUs()).isPositive().isGreaterThanOrEqualTo(trace.gcPauses().p99Us());
    assertThat(trace.stwPauses().count()).isGreaterThanOrEqualTo(trace.gcPauses().count());
    assertThat(trace.schedulerLatency().count()).isPositive();
    assertThat(trace.goroutinesAlive()).isGreaterThan(IDLE);

    JsonNode summary = ContractJson.mapper().readTree(out.resolve("trace-summary.json").toFile());
    assertThat(summary.path("matchedGoroutineIds")).hasSize(2);
    assertThat(summary.path("summary").path("gomaxprocs").asLong()).isPositive();

    GoPprof.assumeAvailable();
    String parsed = GoPprof.goTool("trace", "-d=parsed", out.resolve("trace.out").toString());
    assertThat(parsed).contains("StateTransition", "/gc/heap/goal:bytes");
    inFlight.forEach(CompletableFuture::join);
  }

  @Test
  void runtimeHealthMeasuresGcHeapAndGoroutinesOverTheInterval() throws Exception {
    Path out = dir.resolve("health");
    Result result;
    try (AllocationLoad load = new AllocationLoad()) {
      result = capture("""
          spec:
            pprof: {port: %d}
            captures:
              - {kind: RuntimeHealth, duration: 3s}
          """.formatted(demo.pprofPort()), out);
    }

    assertThat(result.exit()).as(result.stdout() + result.stderr()).isZero();
    SidecarReport.CaptureOutcome outcome = report(out).captures().get(0);
    RuntimeHealthSummary health = outcome.runtimeHealth();
    assertThat(health).as(outcome.message()).isNotNull();
    assertThat(health.intervalMs()).isBetween(3000L, 4000L);
    assertThat(health.gcCycles()).as("allocation load runs the GC").isPositive();
    assertThat(health.gcPerMinute()).isCloseTo(health.gcCycles() * 60_000.0 / health.intervalMs(),
        org.assertj.core.data.Offset.offset(0.01));
    assertThat(health.gcPauses().count()).isEqualTo(Math.min(256, health.gcCycles()));
    assertThat(health.gcPauses().maxUs()).isPositive().isGreaterThanOrEqualTo(health.gcPauses().p99Us())
        .isLessThan(1_000_000);
    assertThat(health.gcPauses().p99Us()).isGreaterThanOrEqualTo(health.gcPauses().p50Us());
    assertThat(health.heapInuseBytes()).isPositive();
    assertThat(health.heapGoalBytes()).isPositive();
    long reported = Long.parseLong(demo.get("/stats").replaceAll("(?s).*goroutines=(\\d+).*", "$1"));
    assertThat(health.goroutines()).isBetween(reported - 20, reported + 20).isGreaterThan(IDLE);
    assertThat(health.gomaxprocs()).isBetween(1L, 1024L);
    assertThat(health.goroutinesPerProc()).isCloseTo((double) health.goroutines() / health.gomaxprocs(),
        org.assertj.core.data.Offset.offset(0.01));
    assertThat(health.schedulerLatency()).isNotNull();
    assertThat(health.sources()).contains("runtime.MemStats", "execution trace");
    JsonNode document = ContractJson.mapper().readTree(out.resolve("runtime-health.json").toFile());
    assertThat(document.path("gcPausesNs")).hasSize((int) health.gcPauses().count());
  }

  /** Keeps the GC busy: 8 MiB allocations, back to back, until closed. */
  private static final class AllocationLoad implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(() -> {
      while (running.get()) {
        demo.get("/work/alloc?mb=8");
      }
    }, "allocation-load");

    AllocationLoad() {
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
    }
  }

  private static void awaitInFlight() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      String dump = new String(demo.pprof("/debug/pprof/goroutine?debug=1"), StandardCharsets.UTF_8);
      if (dump.contains("main.burnCPU") && dump.contains("main.waitOnChannel") && dump.contains("main.sleepFor")) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the traced requests did not show up in the goroutine profile within 10 s");
  }

  private static String traceparent(String traceId) {
    return "00-" + traceId + "-" + traceId.substring(0, 16) + "-01";
  }

  private static SidecarReport report(Path out) throws IOException {
    return ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class);
  }

  private record Result(int exit, String stdout, String stderr) {
  }

  private Result capture(String yaml, Path out) throws IOException {
    Path session = Files.createTempFile(dir, "session", ".yaml");
    Files.writeString(session, yaml);
    List<String> args = new ArrayList<>(List.of("capture", "--pid", String.valueOf(demo.pid()), "-f",
        session.toString(), "--dlv", dlv.toString(), "--out", out.toString()));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit = SidecarMain.run(args.toArray(String[]::new), Map.of(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    return new Result(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
  }
}
