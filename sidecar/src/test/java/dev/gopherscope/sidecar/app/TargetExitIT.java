package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.ArtifactRecord;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: the target process is SIGKILLed while a capture runs, in local mode. The session ends
 * with reason TargetExited, a message naming the pid and the capture that was running, the later
 * captures not started, and every artifact captured before the kill in the output directory with
 * the sha256 the report gives. Once through a CPU profile (pprof), once through a breakpoint
 * snapshot waiting in real dlv.
 */
class TargetExitIT {

  private static final Duration SESSION_LIMIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void aTargetKilledDuringACpuProfileEndsTheSessionWithTargetExitedAndKeepsTheEarlierArtifacts() throws Exception {
    GoDemoProcess demo = GoDemoProcess.start(200);
    try {
      Killed killed = killDuring(demo, """
          spec:
            pprof: {port: %d}
            captures:
              - {kind: Goroutines}
              - {kind: CPUProfile, duration: 6s}
              - {kind: Heap}
            timeout: 2m
          """.formatted(demo.pprofPort()), "profiling CPU for 6 s");

      assertThat(killed.exit()).as(killed.log()).isEqualTo(ExitCode.FAILED.code());
      CaptureOutcome cpu = killed.report().captures().get(1);
      assertThat(cpu.ok()).isFalse();
      assertThat(cpu.message()).contains("the target process demo-service (pid " + demo.pid(),
          "exited during capture 2/3 (CPUProfile)");
      assertThat(killed.report().captures().get(2).message())
          .isEqualTo("not started: the target process exited during capture 2/3 (CPUProfile)");
      assertThat(killed.stdout()).contains("FAILED CPUProfile  TargetExited: the target process demo-service (pid "
          + demo.pid());
      assertThat(killed.report().artifacts()).extracting(ArtifactRecord::name)
          .containsExactly("goroutines-1.json", "goroutines-1.pb.gz");
      killed.assertKeptIntact();
      killed.print("CPU profile");
    } finally {
      demo.close();
    }
  }

  @Test
  void aTargetKilledWhileDlvWaitsForABreakpointEndsWithTargetExitedAndKeepsTheEarlierArtifacts() throws Exception {
    GoDemoProcess demo = GoDemoProcess.start(200);
    try {
      Killed killed = killDuring(demo, """
          spec:
            pprof: {port: %d}
            captures:
              - {kind: Goroutines}
              - {kind: Snapshot, location: main.sleepFor, maxHits: 1}
            pauseBudget: 1s
            timeout: 40s
          """.formatted(demo.pprofPort()), "snapshot: waiting up to", "--dlv",
          TestEnvironment.get().dlv().toString());

      assertThat(killed.exit()).as(killed.log()).isEqualTo(ExitCode.FAILED.code());
      CaptureOutcome snapshot = killed.report().captures().get(1);
      assertThat(snapshot.ok()).isFalse();
      assertThat(snapshot.message()).contains("the target process demo-service (pid " + demo.pid(),
          "exited during capture 2/2 (Snapshot)");
      assertThat(killed.stdout()).contains("FAILED Snapshot    TargetExited: the target process");
      assertThat(killed.report().artifacts()).extracting(ArtifactRecord::name)
          .startsWith("goroutines-1.json", "goroutines-1.pb.gz");
      killed.assertKeptIntact();
      killed.print("breakpoint snapshot in dlv");
    } finally {
      demo.close();
    }
  }

  /** Runs the session, SIGKILLs the demo a second after {@code progress} appears, and collects the outcome. */
  private Killed killDuring(GoDemoProcess demo, String session, String progress, String... more) throws Exception {
    Path file = dir.resolve("session.yaml");
    Files.writeString(file, session);
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("capture", "--pid", String.valueOf(demo.pid()), "-f", file.toString(),
        "--out", out.toString()));
    args.addAll(List.of(more));

    BackgroundCapture run = BackgroundCapture.start(Map.of(), args.toArray(String[]::new));
    run.awaitProgress(progress, SESSION_LIMIT);
    Thread.sleep(1_000);
    long killedAt = System.nanoTime();
    ProcessHandle.of(demo.pid()).orElseThrow().destroyForcibly();
    int exit = run.await(SESSION_LIMIT);
    long endedMs = (System.nanoTime() - killedAt) / 1_000_000;
    SidecarReport report = ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class);
    return new Killed(exit, run.stdout(), run.stderr(), report, out, endedMs);
  }

  private record Killed(int exit, String stdout, String stderr, SidecarReport report, Path out, long endedMs) {

    String log() {
      return stdout + stderr;
    }

    void assertKeptIntact() throws Exception {
      assertThat(report.artifacts()).allSatisfy(a -> assertThat(a.state()).isEqualTo("Spooled"));
      SpooledFiles.assertIntact(out, report.artifacts());
      assertThat(SpooledFiles.partials(out)).isEmpty();
    }

    void print(String during) {
      CaptureOutcome failed = report.captures().stream().filter(c -> !c.ok()).findFirst().orElseThrow();
      System.out.printf("[fault] target SIGKILLed during a %s (local mode): session ended %d ms after the kill, "
          + "exit %d, %d artifact(s) kept with sha256; message: %s%n", during, endedMs, exit,
          report.artifacts().size(), failed.message());
    }
  }
}
