package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.ArtifactRecord;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.capture.delve.Heartbeat;
import dev.gopherscope.sidecar.output.ArtifactSpool;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: the spool's disk fills up during a session. The output directory of {@code sidecar
 * capture} (its spool in local mode) is a real 20 MiB tmpfs; once the first capture's artifacts are
 * there, a ballast file leaves 8 MiB free, under the 16 MiB the spool keeps. The next capture, which
 * halts the target through real dlv, fails with SpoolFull naming the directory and the free
 * space; the last one is not started; the report still lands (it may use the reserve); the
 * earlier artifacts are intact; no partial file is left; the target was resumed and keeps ticking.
 * And an artifact that outgrows the disk after the check let it start is removed, not left half written.
 */
class SpoolFullIT {

  private static final long MIB = Tmpfs.MIB;
  private static final long PAUSE_BUDGET_MS = 500;

  @TempDir
  Path dir;

  @Test
  void aSpoolThatFillsUpFailsTheSessionCleanlyAndKeepsWhatWasSpooled() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("spool"), 20); GoDemoProcess demo = GoDemoProcess.start(200)) {
      Path spool = tmpfs.dir();
      Path session = dir.resolve("session.yaml");
      Files.writeString(session, """
          spec:
            pprof: {port: %d}
            captures:
              - {kind: Goroutines}
              - {kind: TraceStacks, source: Delve}
              - {kind: Heap}
            pauseBudget: %dms
            timeout: 60s
          """.formatted(demo.pprofPort(), PAUSE_BUDGET_MS));
      Heartbeat before = Heartbeat.of(demo);

      BackgroundCapture run = BackgroundCapture.start(Map.of(), "capture", "--pid", String.valueOf(demo.pid()), "-f",
          session.toString(), "--out", spool.toString(), "--dlv", TestEnvironment.get().dlv().toString());
      // Capture 1 has spooled its artifacts when capture 2 starts; dlv's attach leaves time to fill the disk.
      run.awaitProgress("capture 2/3: TraceStacks", Duration.ofSeconds(60));
      long ballast = tmpfs.fillLeaving(8 * MIB);
      int exit = run.await(Duration.ofSeconds(60));

      String log = run.stdout() + run.stderr();
      assertThat(exit).as(log).isEqualTo(ExitCode.FAILED.code());
      SidecarReport report = ContractJson.mapper().readValue(spool.resolve("report.json").toFile(),
          SidecarReport.class);
      CaptureOutcome traces = report.captures().get(1);
      assertThat(traces.ok()).isFalse();
      assertThat(traces.message()).startsWith("the spool " + spool + " has only ")
          .contains(" KiB free (the sidecar keeps 16 MiB free); refusing to write trace-stacks");
      assertThat(report.captures().get(2).message())
          .isEqualTo("not started: the spool filled up in capture 2/3 (TraceStacks)");
      assertThat(run.stdout()).contains("FAILED TraceStacks SpoolFull: the spool " + spool);
      assertThat(report.artifacts()).extracting(ArtifactRecord::name)
          .containsExactly("goroutines-1.json", "goroutines-1.pb.gz");
      assertThat(report.artifacts()).allSatisfy(a -> assertThat(a.state()).isEqualTo("Spooled"));
      SpooledFiles.assertIntact(spool, report.artifacts());
      assertThat(SpooledFiles.partials(spool)).isEmpty();

      assertThat(demo.isAlive()).isTrue();
      assertThat(TargetState.halted(demo.pid())).as("state %s", TargetState.of(demo.pid())).isFalse();
      assertThat(TargetState.tracer(demo.pid())).as("dlv is gone").isZero();
      Heartbeat first = Heartbeat.of(demo);
      Thread.sleep(200);
      Heartbeat after = Heartbeat.of(demo);
      assertThat(after.ticks()).as("the heartbeat keeps ticking").isGreaterThan(first.ticks());
      assertThat(after.maxGapMs()).as("longest halt of the session (attach included)")
          .isLessThan(PAUSE_BUDGET_MS + 1_000);
      System.out.printf("[fault] spool full (tmpfs 20 MiB, %d MiB ballast): exit %d, %d artifact(s) spooled before "
          + "kept intact, report.json %d B through the reserve, no partial files; target state %s, heartbeat max gap "
          + "%.1f ms (before the session %.1f ms); message: %s%n", ballast / MIB, exit, report.artifacts().size(),
          Files.size(spool.resolve("report.json")), TargetState.of(demo.pid()), after.maxGapMs(), before.maxGapMs(),
          traces.message());
    }
  }

  @Test
  void anArtifactThatOutgrowsTheDiskMidWriteIsRemovedAndNamed() throws Exception {
    try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("small"), 20)) {
      Path dir2 = tmpfs.dir();
      ArtifactSpool spool = new ArtifactSpool(dir2);
      SpooledArtifact before = spool.write("goroutines-1.json", "Goroutines", "application/json", new byte[4096]);
      // Just over the 16 MiB the spool keeps, so the write starts, and then the disk is really full.
      tmpfs.fillLeaving(16 * MIB + 512 * 1024);
      byte[] megabyte = new byte[(int) MIB];

      assertThatThrownBy(() -> spool.write("cpu.pb.gz", "CPUProfile", "application/octet-stream", out -> {
        for (int i = 0; i < 32; i++) {
          out.write(megabyte);
        }
      })).isInstanceOf(ArtifactSpool.SpoolFullException.class)
          .hasMessage("the spool " + dir2 + " filled up while writing cpu.pb.gz; the partial file was removed");

      assertThat(SpooledFiles.partials(dir2)).isEmpty();
      assertThat(Files.exists(dir2.resolve("cpu.pb.gz"))).isFalse();
      assertThat(SpooledFiles.sha256(Files.readAllBytes(before.file()))).isEqualTo(before.sha256());
      long free = Files.getFileStore(dir2).getUsableSpace();
      SpooledArtifact report = spool.writeReport("report.json", "Report", "application/json",
          "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(report.bytes()).isEqualTo(2);
      System.out.printf("[fault] spool filled up mid-write (tmpfs 20 MiB, 16.5 MiB free, 32 MiB artifact): partial "
          + "removed, %d KiB free again, the earlier artifact intact, the report still spooled%n", free / 1024);
    }
  }
}
