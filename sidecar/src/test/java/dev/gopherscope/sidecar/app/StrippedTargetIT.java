package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.ContractJson;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stripped target (the demo after {@code objcopy --strip-all}, as production binaries ship) in
 * local mode with real dlv: with its split debug info ({@code objcopy --only-keep-debug}) a
 * breakpoint snapshot reads arguments and locals; without it, or with another build's, the Delve
 * capture fails with a reason that says which, and dlv never touches the target.
 */
class StrippedTargetIT {

  private static final String SLEEP_TRACE = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";
  private static final String SNAPSHOT = """
      spec:
        pprof: {port: 6060}
        captures:
          - {kind: Goroutines}
          - {kind: Snapshot, location: main.sleepFor, maxHits: 1, loadLocals: true}
        pauseBudget: 1s
        timeout: 60s
      """;

  private static GoDemoProcess demo;
  private static ScheduledExecutorService load;

  @TempDir
  Path dir;

  @BeforeAll
  static void startStrippedDemo() {
    demo = GoDemoProcess.startStripped("demo-stripped", 100);
    // Something for the breakpoint to catch, again and again until the snapshot has its hit.
    load = Executors.newSingleThreadScheduledExecutor();
    load.scheduleWithFixedDelay(() -> demo.getTraced("/work/sleep?ms=5", "00-" + SLEEP_TRACE + "-5e5e5e5e5e5e5e5e-01"),
        0, 200, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stopDemo() {
    load.shutdownNow();
    demo.close();
  }

  @Test
  void aSnapshotReadsVariablesThroughTheSplitDebugInfo() throws Exception {
    Run run = capture(List.of("--debug-info", TestEnvironment.get().demoServiceDebugInfo().toString()));

    assertThat(run.exit()).as(run.log()).isZero();
    assertThat(run.log()).contains("debug info for", "MiB of DWARF from " + TestEnvironment.get().demoServiceDebugInfo(),
        "attaching paused the target");
    JsonNode hit = ContractJson.mapper().readTree(run.out().resolve("snapshot-1.json").toFile()).path("hits").get(0);
    assertThat(hit.path("stack").get(0).path("function").asText()).isEqualTo("main.sleepFor");
    assertThat(hit.path("stack").get(0).path("file").asText()).endsWith("workloads.go");
    assertThat(hit.path("arguments").get(0).path("name").asText()).isEqualTo("d");
    assertThat(hit.path("arguments").get(0).path("type").asText()).isEqualTo("time.Duration");
    assertThat(hit.path("arguments").get(0).path("value").asText()).contains("5000000");
    assertThat(TargetState.tracer(demo.pid())).as("dlv detached").isZero();
  }

  @Test
  void withoutDebugInfoTheDelveCaptureFailsAndTheTargetIsNeverHalted() throws Exception {
    Run run = capture(List.of());

    assertThat(run.exit()).as(run.log()).isNotZero();
    assertThat(run.log()).contains("NoDebugInfo", "dlv was not attached, so the target was never halted",
        "--debug-info FILE").doesNotContain("attaching dlv");
    assertThat(run.out().resolve("goroutines-1.pb.gz")).as("the pprof capture still ran").exists();
  }

  @Test
  void anotherBuildsDebugInfoIsRefusedByBuildId() throws Exception {
    Run run = capture(List.of("--debug-info", TestEnvironment.get().dlv().toString()));

    assertThat(run.exit()).as(run.log()).isNotZero();
    assertThat(run.log()).contains("DebugInfoMismatch", "not to the target's GNU build ID")
        .doesNotContain("attaching dlv");
  }

  private record Run(int exit, String log, Path out) {
  }

  private Run capture(List<String> extra) throws Exception {
    Path session = dir.resolve("snapshot.yaml");
    Files.writeString(session, SNAPSHOT);
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("capture", "--pid", String.valueOf(demo.pid()), "-f",
        session.toString(), "--out", out.toString(), "--dlv", TestEnvironment.get().dlv().toString(),
        "--pprof-port", String.valueOf(demo.pprofPort())));
    args.addAll(extra);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit = SidecarMain.run(args.toArray(String[]::new), Map.of(),
        new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    return new Run(exit, stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8), out);
  }
}
