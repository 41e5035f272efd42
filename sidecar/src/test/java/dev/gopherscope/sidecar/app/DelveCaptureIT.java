package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delve captures in local mode against the real demo and real dlv: goroutine snapshots and
 * trace stacks listed by Delve within the pause budget, and a breakpoint snapshot with its labels
 * redacted; afterwards the target runs on, with no debugger attached.
 */
class DelveCaptureIT {

  private static final String BLOCK_TRACE = "2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b";
  private static final String SLEEP_TRACE = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";

  @TempDir
  Path dir;

  @Test
  void capturesThroughDelveAndLeavesTheTargetRunning() throws Exception {
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try (GoDemoProcess demo = GoDemoProcess.start(200)) {
      CompletableFuture<String> blocked = demo.getTraced("/work/block?ms=6000", "00-" + BLOCK_TRACE + "-2b2b2b2b2b2b2b2b-01");
      awaitLabelled(demo, BLOCK_TRACE);
      // Something for the breakpoint to catch, again and again until the snapshot has its hit.
      load.scheduleWithFixedDelay(() -> demo.getTraced("/work/sleep?ms=5", "00-" + SLEEP_TRACE + "-5e5e5e5e5e5e5e5e-01"),
          0, 200, TimeUnit.MILLISECONDS);
      Path session = dir.resolve("delve.yaml");
      Files.writeString(session, """
          spec:
            filter:
              labelKeys: [traceparent]
            captures:
              - {kind: Goroutines, source: Delve}
              - {kind: TraceStacks, source: Delve}
              - {kind: Snapshot, location: main.sleepFor, maxHits: 1, loadLocals: true}
            pauseBudget: 1s
            redact: ['5e5e5e5e']
            timeout: 60s
          """);
      Path out = dir.resolve("out");
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();

      int exit = SidecarMain.run(new String[] {"capture", "--pid", String.valueOf(demo.pid()), "-f", session.toString(),
          "--out", out.toString(), "--dlv", TestEnvironment.get().dlv().toString()}, Map.of(),
          new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));

      String log = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(log).isZero();
      assertThat(log).contains("attaching dlv to", "attaching paused the target");
      SidecarReport report = ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class);
      assertThat(report.captures()).allSatisfy(c -> assertThat(c.source()).isEqualTo("Delve"));

      JsonNode goroutines = ContractJson.mapper().readTree(out.resolve("goroutines-1.json").toFile());
      assertThat(goroutines.path("source").asText()).isEqualTo("Delve");
      assertThat(goroutines.path("pausedMs").asDouble()).isPositive();
      assertThat(goroutines.path("matchedGoroutines").asLong()).isPositive();

      JsonNode traces = ContractJson.mapper().readTree(out.resolve("trace-stacks.json").toFile()).path("traces");
      List<String> blockFunctions = new ArrayList<>();
      traces.forEach(t -> {
        if (t.path("traceId").asText().equals(BLOCK_TRACE)) {
          assertThat(t.path("blocked").asInt()).isEqualTo(1);
          t.path("stacks").forEach(s -> s.path("frames").forEach(f -> blockFunctions.add(f.path("function").asText())));
        }
      });
      assertThat(blockFunctions).contains("main.waitOnChannel");

      JsonNode snapshot = ContractJson.mapper().readTree(out.resolve("snapshot-2.json").toFile());
      assertThat(snapshot.path("outcome").asText()).isEqualTo("MAX_HITS");
      assertThat(snapshot.path("breakpointRemoved").asBoolean()).isTrue();
      JsonNode hit = snapshot.path("hits").get(0);
      assertThat(hit.path("stack").get(0).path("function").asText()).isEqualTo("main.sleepFor");
      assertThat(hit.path("labels").path("trace_id").asText()).isEqualTo("[REDACTED][REDACTED][REDACTED][REDACTED]");
      assertThat(Files.readString(out.resolve("snapshot-2.json"))).doesNotContain("5e5e5e5e");

      assertThat(TargetState.tracer(demo.pid())).as("dlv detached").isZero();
      assertThat(demo.get("/healthz")).contains("ok");
      assertThat(blocked.get(30, TimeUnit.SECONDS)).contains("block");
    } finally {
      load.shutdownNow();
    }
  }

  private static void awaitLabelled(GoDemoProcess demo, String text) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (new String(demo.pprof("/debug/pprof/goroutine?debug=1"), StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no goroutine labelled " + text + " within 10 s");
  }
}
