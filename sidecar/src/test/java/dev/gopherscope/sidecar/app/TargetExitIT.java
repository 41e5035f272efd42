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

  /** Captures whose second one, a CPU profile, runs long enough to kill the target during it. */
  static final String CPU_PROFILE_IN_THE_MIDDLE = """
      captures:
        - {kind: Goroutines}
        - {kind: CPUProfile, duration: 6s}
        - {kind: Heap}
      timeout: 2m
      """;

  @Test
  void aTargetKilledDuringACpuProfileEndsTheSessionWithTargetExitedAndKeepsTheEarlierArtifacts() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(200)) {
      Killed killed = killDuring(demo, "spec:\n  pprof: {port: " + demo.pprofPort() + "}\n"
          + CPU_PROFILE_IN_THE_MIDDLE.indent(2), "profiling CPU for 6 s");

      killed.assertTargetExitedDuring(demo.pid(), "2/3 (CPUProfile)", "FAILED CPUProfile  TargetExited");
      assertThat(killed.report().captures().get(2).message())
          .isEqualTo("not started: the target process exited during capture 2/3 (CPUProfile)");
      assertThat(killed.report().artifacts()).extracting(ArtifactRecord::name)
          .containsExactly("goroutines-1.json", "goroutines-1.pb.gz");
      killed.print("CPU profile");
    }
  }

  @Test
  void aTargetKilledWhileDlvWaitsForABreakpointEndsWithTargetExitedAndKeepsTheEarlierArtifacts() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(200)) {
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

      killed.assertTargetExitedDuring(demo.pid(), "2/2 (Snapshot)", "FAILED Snapshot    TargetExited");
      assertThat(killed.report().artifacts()).extracting(ArtifactRecord::name)
          .startsWith("goroutines-1.json", "goroutines-1.pb.gz");
      killed.print("breakpoint snapshot in dlv");
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

    /**
     * The session failed on the capture at {@code position} with TargetExited naming the pid, and
     * whatever it listed is in the directory intact.
     */
    void assertTargetExitedDuring(long pid, String position, String summaryLine) throws Exception {
      assertThat(exit).as(log()).isEqualTo(ExitCode.FAILED.code());
      CaptureOutcome failed = report.captures().stream().filter(c -> !c.ok()).findFirst().orElseThrow();
      assertThat(failed.message()).as(log()).contains("the target process demo-service (pid " + pid,
          "exited during capture " + position);
      assertThat(stdout).contains(summaryLine + ": the target process demo-service (pid " + pid);
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
