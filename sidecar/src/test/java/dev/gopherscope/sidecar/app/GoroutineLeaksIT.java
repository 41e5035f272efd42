package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.contract.SidecarReport.LeakSuspect;
import dev.gopherscope.sidecar.pprof.GoPprof;
import dev.gopherscope.testsupport.GoDemoProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GoroutineLeaks in local mode against the real demo built both ways. Built with
 * {@code GOEXPERIMENT=goroutineleakprofile}, the demo's channel waiters ({@code /work/leak}: each
 * blocked on a channel nothing else references) are proven leaked by the garbage collector, with
 * their request's labels, while a goroutine blocked on a channel a timer will close is not. Built
 * without it, the same leak is found by its growth over three snapshots, and said to be so.
 */
class GoroutineLeaksIT {

  private static final String TRACE = "7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e";
  private static final String SESSION = """
      spec:
        pprof: {port: %d}
        captures:
          - {kind: GoroutineLeaks, every: 1s, count: 3}
        timeout: 60s
      """;

  @TempDir
  Path dir;

  @Test
  void theChannelWaiterIsAProvenLeakWhereTheAppServesTheLeakProfile() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.startWithLeakProfile(20)) {
      CompletableFuture<String> blocked = demo.getTraced("/work/block?ms=15000", null);
      assertThat(demo.getTraced("/work/leak?n=7", "00-" + TRACE + "-7e7e7e7e7e7e7e7e-01").get(10, TimeUnit.SECONDS))
          .contains("leaked=7");
      Path out = dir.resolve("proven");
      String log = capture(demo, out);

      CaptureOutcome leaks = outcome(out);
      assertThat(leaks.ok()).as(log).isTrue();
      assertThat(leaks.message()).contains("proven by the garbage collector", "7 goroutine(s) leaked in 1 stack(s)",
          "largest 7 in main.leakedWorker");
      LeakSuspect leak = leaks.leakSuspects().get(0);
      assertThat(leak.method()).isEqualTo("Proven");
      assertThat(leak.frames().get(0)).isEqualTo("main.leakedWorker");
      assertThat(leak.counts()).containsExactly(7L);
      assertThat(leak.labels()).containsEntry("route", "/work/leak").containsEntry("trace_id", TRACE);
      assertThat(leaks.leakSuspects()).hasSize(1);

      JsonNode document = ContractJson.mapper().readTree(out.resolve("goroutine-leaks.json").toFile());
      assertThat(document.path("method").asText()).isEqualTo("Proven");
      assertThat(document.path("leakedGoroutines").asLong()).isEqualTo(7);
      GoPprof.assumeAvailable();
      String traces = GoPprof.run("-traces", out.resolve("goroutineleak.pb.gz").toString());
      assertThat(traces).contains("main.leakedWorker").doesNotContain("main.waitOnChannel");
      assertThat(blocked).isNotDone();
    }
  }

  @Test
  void withoutTheLeakProfileTheLeakIsFoundByItsGrowthAndSaidToBe() throws Exception {
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try (GoDemoProcess demo = GoDemoProcess.start(20)) {
      load.scheduleWithFixedDelay(() -> demo.get("/work/leak?n=5"), 0, 200, TimeUnit.MILLISECONDS);
      Path out = dir.resolve("growth");
      String log = capture(demo, out);
      load.shutdownNow();

      CaptureOutcome leaks = outcome(out);
      assertThat(leaks.ok()).as(log).isTrue();
      assertThat(leaks.message()).contains("has no goroutineleak profile", "GOEXPERIMENT=goroutineleakprofile",
          "grew in each of 3 snapshots 1000 ms apart", "largest");
      LeakSuspect leak = leaks.leakSuspects().get(0);
      assertThat(leak.method()).isEqualTo("Growth");
      assertThat(leak.frames().get(0)).isEqualTo("main.leakedWorker");
      assertThat(leak.counts()).hasSize(3).isSorted().doesNotHaveDuplicates();
      assertThat(out.resolve("goroutineleak.pb.gz")).doesNotExist();
      assertThat(ContractJson.mapper().readTree(out.resolve("goroutine-leaks.json").toFile()).path("method").asText())
          .isEqualTo("Growth");
    } finally {
      load.shutdownNow();
    }
  }

  private static CaptureOutcome outcome(Path out) throws Exception {
    return ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class).captures().get(0);
  }

  private String capture(GoDemoProcess demo, Path out) throws Exception {
    Path session = dir.resolve(out.getFileName() + ".yaml");
    Files.writeString(session, SESSION.formatted(demo.pprofPort()));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit = SidecarMain.run(new String[] {"capture", "--pid", String.valueOf(demo.pid()), "-f", session.toString(),
        "--out", out.toString()}, Map.of(),
        new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    String log = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
    System.out.println(log);
    assertThat(exit).as(log).isZero();
    return log;
  }
}
