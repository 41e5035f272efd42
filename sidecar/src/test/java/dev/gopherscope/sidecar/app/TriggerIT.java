package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.sidecar.pprof.GoPprof;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions that wait for the problem (spec.trigger), in local mode against the real Go demo and
 * the real dlv: each condition stays unfired while it does not hold, fires when the demo's
 * workload makes it hold, and the captures that follow see that workload; a breakpoint trigger's
 * captures keep only the goroutines of the request that hit; a trigger that never fires says so.
 */
class TriggerIT {

  private static final int IDLE = 50;
  private static final Pattern HIT_TRACE = Pattern.compile("\"trace_id\" : \"([0-9a-f]{32})\"");

  private static GoDemoProcess demo;
  private static Path dlv;

  @TempDir
  Path dir;

  @BeforeAll
  static void startDemo() {
    dlv = TestEnvironment.get().dlv();
    demo = GoDemoProcess.start(IDLE);
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void goroutinesAboveFiresWhenTheFanoutStartsAndTheCaptureSeesIt() throws Exception {
    Path out = dir.resolve("goroutines");
    Running session = start("""
        spec:
          pprof: {port: %d}
          trigger: {goroutinesAbove: 300, pollInterval: 1s}
          captures:
            - {kind: Goroutines}
        """.formatted(demo.pprofPort()), out);
    session.awaitOutput("poll(s), now", Duration.ofSeconds(20));
    Thread.sleep(2_000);
    assertThat(session.future.isDone()).as("fired with %d idle goroutines: %s", IDLE, session.stderr()).isFalse();
    CompletableFuture<String> fanout = demo.getTraced("/work/fanout?n=400&ms=8000", traceparent("a1"));

    Result result = session.await();
    assertThat(result.exit()).as(result.stdout() + result.stderr()).isZero();
    JsonNode trigger = json(out.resolve("trigger.json"));
    assertThat(trigger.path("state").asText()).isEqualTo("Fired");
    assertThat(trigger.path("polls").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(trigger.path("value").asLong()).isGreaterThan(300);
    JsonNode readings = trigger.path("readings");
    assertThat(readings.get(0).path("value").asLong()).isBetween((long) IDLE, 300L);
    assertThat(trigger.path("slowestPollMs").asLong()).isLessThan(1_000);
    assertThat(Files.readString(out.resolve("goroutines-1.json"))).contains("main.fanoutWorker");
    assertThat(result.stdout()).contains("trigger: Fired: fired: ");
    fanout.get(30, TimeUnit.SECONDS);
  }

  @Test
  void heapInUseAboveFiresWhenTheHeapGrowsPastTheQuantity() throws Exception {
    long inUse = Long.parseLong(new String(demo.pprof("/debug/pprof/heap?debug=1"), StandardCharsets.UTF_8)
        .replaceAll("(?s).*\n# HeapInuse = (\\d+)\n.*", "$1"));
    long thresholdMi = inUse / (1 << 20) + 48;
    Path out = dir.resolve("heap");
    Running session = start("""
        spec:
          pprof: {port: %d}
          trigger: {heapInUseAbove: %dMi, pollInterval: 3s}
          captures:
            - {kind: Heap}
        """.formatted(demo.pprofPort(), thresholdMi), out);
    session.awaitOutput("poll(s), now", Duration.ofSeconds(20));
    demo.get("/work/retain?kb=65536");
    // The heap profile shows the heap as of the last GC: one now, well before the next poll.
    demo.pprof("/debug/pprof/heap?gc=1");

    Result result = session.await();
    assertThat(result.exit()).as(result.stdout() + result.stderr()).isZero();
    JsonNode trigger = json(out.resolve("trigger.json"));
    assertThat(trigger.path("state").asText()).isEqualTo("Fired");
    assertThat(trigger.path("value").asLong()).isGreaterThan(thresholdMi << 20);
    assertThat(trigger.path("readings").get(0).path("value").asLong()).isLessThan(thresholdMi << 20);
    GoPprof.assumeAvailable();
    assertThat(GoPprof.goTool("pprof", "-top", "-sample_index=inuse_space", out.resolve("heap.pb.gz").toString()))
        .contains("main.retainForever");
  }

  @Test
  void labelAppearsFiresWhenALabelledRequestArrives() throws Exception {
    Path out = dir.resolve("label");
    Running session = start("""
        spec:
          pprof: {port: %d}
          trigger: {labelAppears: {route: /work/block}, pollInterval: 1s}
          filter: {labels: {route: /work/block}}
          captures:
            - {kind: Goroutines}
        """.formatted(demo.pprofPort()), out);
    session.awaitOutput("poll(s), now", Duration.ofSeconds(20));
    CompletableFuture<String> sleeper = demo.getTraced("/work/sleep?ms=6000", traceparent("b1"));
    Thread.sleep(2_000);
    assertThat(session.future.isDone()).as("fired on another route: " + session.stderr()).isFalse();
    CompletableFuture<String> blocked = demo.getTraced("/work/block?ms=6000", traceparent("b2"));

    Result result = session.await();
    assertThat(result.exit()).as(result.stdout() + result.stderr()).isZero();
    assertThat(json(out.resolve("trigger.json")).path("value").asLong()).isPositive();
    String goroutines = Files.readString(out.resolve("goroutines-1.json"));
    assertThat(goroutines).contains("main.waitOnChannel").doesNotContain("main.sleepFor");
    sleeper.get(30, TimeUnit.SECONDS);
    blocked.get(30, TimeUnit.SECONDS);
  }

  @Test
  void breakpointTriggerFiltersTheCapturesToTheRequestThatHit() throws Exception {
    // A burner that entered burnCPU before the trigger armed: running all along, never a hit.
    CompletableFuture<String> earlier = demo.getTraced("/work/cpu?ms=25000", traceparent("c0"), Duration.ofMinutes(1));
    Path out = dir.resolve("breakpoint");
    Running session = start("""
        spec:
          pprof: {port: %d}
          trigger:
            breakpoint: {location: main.burnCPU, condition: "d > 2000000000"}
          pauseBudget: 2s
          attachPauseBudget: 15s
          captures:
            - {kind: CPUProfile, duration: 2s}
        """.formatted(demo.pprofPort()), out);
    List<CompletableFuture<String>> requests = new ArrayList<>();
    for (int i = 0; !session.future.isDone() && i < 40; i++) {
      // Short burners never satisfy the condition; each long one might be the hit, once dlv is attached.
      requests.add(demo.getTraced("/work/cpu?ms=300", traceparent("d" + i)));
      requests.add(demo.getTraced("/work/cpu?ms=4000", traceparent("e" + i), Duration.ofMinutes(1)));
      Thread.sleep(1_000);
    }

    Result result = session.await();
    assertThat(result.exit()).as(result.stdout() + result.stderr()).isZero();
    String document = Files.readString(out.resolve("trigger.json"));
    JsonNode trigger = json(out.resolve("trigger.json"));
    assertThat(trigger.path("state").asText()).isEqualTo("Fired");
    assertThat(trigger.path("hit").path("stack").get(0).path("function").asText()).isEqualTo("main.burnCPU");
    Matcher hit = HIT_TRACE.matcher(document);
    assertThat(hit.find()).as(document).isTrue();
    String hitTrace = hit.group(1);
    assertThat(hitTrace).startsWith("e");
    assertThat(trigger.path("capturesFilter").asText()).contains("trace_id=" + hitTrace);

    GoPprof.assumeAvailable();
    String tags = GoPprof.goTool("pprof", "-tags", out.resolve("cpu.pb.gz").toString());
    assertThat(tags).contains(hitTrace).doesNotContain(traceId("c0"));
    assertThat(tags.replaceAll("(?s).*trace_id:", "")).doesNotContainPattern("\\b(?!" + hitTrace + ")e[0-9a-f]{31}\\b");
    assertThat(GoPprof.goTool("pprof", "-top", out.resolve("cpu.pb.gz").toString())).contains("main.burnCPU");
    earlier.get(60, TimeUnit.SECONDS);
    for (CompletableFuture<String> request : requests) {
      request.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTriggerThatNeverFiresSaysSoAndRunsNoCapture() throws Exception {
    Path out = dir.resolve("never");
    Result result = start("""
        spec:
          pprof: {port: %d}
          timeout: 14s
          trigger: {goroutinesAbove: 100000, pollInterval: 1s}
          captures:
            - {kind: Goroutines}
            - {kind: Heap}
        """.formatted(demo.pprofPort()), out).await();

    assertThat(result.exit()).isNotZero();
    assertThat(result.stdout()).contains("trigger: NeverFired: the trigger (goroutines above 100000) never fired");
    SidecarReport report = ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class);
    assertThat(report.captures()).hasSize(2).allSatisfy(c -> {
      assertThat(c.ok()).isFalse();
      assertThat(c.message()).startsWith("not started: the trigger (goroutines above 100000) never fired");
    });
    JsonNode trigger = json(out.resolve("trigger.json"));
    assertThat(trigger.path("state").asText()).isEqualTo("NeverFired");
    assertThat(trigger.path("reason").asText()).isEqualTo("TriggerNeverFired");
    assertThat(trigger.path("polls").asLong()).isBetween(2L, 6L);
    assertThat(trigger.path("peak").asLong()).isBetween((long) IDLE, 100_000L);
    assertThat(out.resolve("goroutines-1.json")).doesNotExist();
  }

  @Test
  void aTriggerWhoseEndpointDoesNotAnswerFailsAfterThreePolls() throws Exception {
    Path out = dir.resolve("unreachable");
    Result result = start("""
        spec:
          pprof: {port: 1}
          trigger: {labelAppears: {route: /checkout}, pollInterval: 1s}
          captures:
            - {kind: Goroutines}
        """, out).await();

    assertThat(result.exit()).isNotZero();
    JsonNode trigger = json(out.resolve("trigger.json"));
    assertThat(trigger.path("state").asText()).isEqualTo("Failed");
    assertThat(trigger.path("reason").asText()).isEqualTo("TriggerFailed");
    assertThat(trigger.path("message").asText()).contains("3 polls in a row failed", "connection refused");
  }

  private static JsonNode json(Path file) throws IOException {
    return ContractJson.mapper().readTree(file.toFile());
  }

  private static String traceId(String prefix) {
    return (prefix + "0".repeat(32)).substring(0, 31) + "1";
  }

  private static String traceparent(String prefix) {
    String id = traceId(prefix);
    return "00-" + id + "-" + id.substring(0, 16) + "-01";
  }

  private record Result(int exit, String stdout, String stderr) {
  }

  /** A local-mode session running in the background, its output readable while it runs. */
  private record Running(CompletableFuture<Result> future, ByteArrayOutputStream err) {
    String stderr() {
      return err.toString(StandardCharsets.UTF_8);
    }

    void awaitOutput(String text, Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (!stderr().contains(text)) {
        if (System.nanoTime() > deadline || future.isDone()) {
          throw new AssertionError("no '" + text + "' within " + within + ": " + stderr());
        }
        Thread.sleep(50);
      }
    }

    Result await() throws Exception {
      return future.get(3, TimeUnit.MINUTES);
    }
  }

  private Running start(String yaml, Path out) throws IOException {
    Path session = Files.createTempFile(dir, "session", ".yaml");
    Files.writeString(session, yaml);
    List<String> args = new ArrayList<>(List.of("capture", "--pid", String.valueOf(demo.pid()), "-f",
        session.toString(), "--dlv", dlv.toString(), "--out", out.toString()));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    CompletableFuture<Result> future = CompletableFuture.supplyAsync(() -> {
      int exit = SidecarMain.run(args.toArray(String[]::new), Map.of(),
          new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
      return new Result(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    });
    return new Running(future, stderr);
  }
}
