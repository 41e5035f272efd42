package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.attachPauseBudget on the real demo and real dlv, through the sidecar's local capture mode:
 * an attach predicted to overrun it is refused before anything touches the target, while the
 * session's pprof captures still run; an attach that fits is measured and reported.
 */
class AttachPauseBudgetIT {

  @TempDir
  Path dir;

  @Test
  void anAttachPredictedOverBudgetNeverHaltsTheTargetAndPprofStillRuns() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(100)) {
      Path session = dir.resolve("tiny-attach-budget.yaml");
      Files.writeString(session, """
          spec:
            pprof: {port: %d}
            captures:
              - {kind: Goroutines, source: Delve}
              - {kind: Heap}
              - {kind: TraceStacks, source: Delve}
            attachPauseBudget: 1ms
            timeout: 60s
          """.formatted(demo.pprofPort()));

      TracerSampler tracer = TracerSampler.start(demo.pid());
      Run run;
      try {
        run = capture(demo, session);
      } finally {
        tracer.stop();
      }

      // The session can end within tens of ms here; what matters is that the sampler watched all of it.
      assertThat(tracer.samples()).as("TracerPid sampled while the session ran").isPositive();
      assertThat(tracer.maxTracer()).as("no debugger ever attached to the target").isZero();
      SidecarReport report = run.report();
      CaptureOutcome goroutines = report.captures().get(0);
      assertThat(goroutines.ok()).isFalse();
      assertThat(goroutines.message()).as(run.log())
          .contains("dlv was not attached, so the target was never halted")
          .containsPattern("predicted [0-9,]+ ms from [0-9.]+ MiB of DWARF, allowed 1 ms")
          .contains("raise spec.attachPauseBudget");
      assertThat(report.captures().get(1).ok()).as("the Heap capture reads pprof and still runs").isTrue();
      assertThat(report.captures().get(2).ok()).isFalse();
      assertThat(report.captures().get(2).message()).contains("allowed 1 ms");
      assertThat(report.attaches()).as("dlv was never started").isNull();
      assertThat(report.attachPausedMs()).isNull();
      assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
    }
  }

  @Test
  void anAttachThatFitsIsMeasuredAndReportedApartFromTheCapturePauses() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(100)) {
      Path session = dir.resolve("default-attach-budget.yaml");
      Files.writeString(session, """
          spec:
            captures:
              - {kind: Goroutines, source: Delve}
            pauseBudget: 200ms
            timeout: 60s
          """);

      Run run = capture(demo, session);

      SidecarReport report = run.report();
      assertThat(report.captures().get(0).ok()).as(run.log()).isTrue();
      assertThat(report.attaches()).isEqualTo(1);
      assertThat(report.attachPausedMs()).as("the attach pause, reported on its own").isPositive()
          .isLessThanOrEqualTo(3_000);
      assertThat(run.log()).containsPattern("attach pause predicted [0-9,]+ ms from [0-9.]+ MiB of DWARF, "
          + "allowed 3000 ms").containsPattern("attaching paused the target [0-9.]+ ms \\(allowed 3000 ms\\)");
      assertThat(report.captures().get(0).pausedMs()).as("the capture's own halt, within its budget")
          .isLessThanOrEqualTo(200 + 20);
    }
  }

  private record Run(String log, SidecarReport report) {
  }

  private Run capture(GoDemoProcess demo, Path session) throws IOException {
    Path out = dir.resolve("out-" + session.getFileName());
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    SidecarMain.run(new String[] {"capture", "--pid", String.valueOf(demo.pid()), "-f", session.toString(),
        "--out", out.toString(), "--dlv", TestEnvironment.get().dlv().toString()}, Map.of(),
        new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    String log = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
    return new Run(log, ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class));
  }

  /** Reads the target's TracerPid every half millisecond: a ptrace attach, however short, shows. */
  private static final class TracerSampler {

    private final Path status;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong maxTracer = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;

    private TracerSampler(long pid) {
      this.status = Path.of("/proc", Long.toString(pid), "status");
      this.thread = new Thread(this::sample, "tracer-sampler");
    }

    /** Starts sampling and returns once the first sample is in, so no part of what follows goes unwatched. */
    static TracerSampler start(long pid) throws InterruptedException {
      TracerSampler sampler = new TracerSampler(pid);
      sampler.thread.start();
      while (sampler.samples.get() == 0 && sampler.thread.isAlive()) {
        Thread.sleep(1);
      }
      return sampler;
    }

    private void sample() {
      while (!stopped.get()) {
        try {
          for (String line : Files.readAllLines(status)) {
            if (line.startsWith("TracerPid:")) {
              maxTracer.accumulateAndGet(Long.parseLong(line.substring("TracerPid:".length()).strip()), Math::max);
            }
          }
          samples.incrementAndGet();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        LockSupport.parkNanos(500_000);
      }
    }

    void stop() throws InterruptedException {
      stopped.set(true);
      thread.join();
    }

    long maxTracer() {
      return maxTracer.get();
    }

    long samples() {
      return samples.get();
    }
  }
}
