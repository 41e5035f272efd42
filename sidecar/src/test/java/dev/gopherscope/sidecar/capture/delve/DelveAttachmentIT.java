package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.sidecar.process.TargetProcess;
import dev.gopherscope.sidecar.process.TargetProcessFinder;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Attaching, detaching and killing real dlv: the target always runs on, unchanged. */
class DelveAttachmentIT {

  @Test
  void attachingMeasuresItsPauseAndRemovesDelvesOwnBreakpoints() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(2_000)) {
      Heartbeat before = Heartbeat.of(demo);
      try (DelveAttachment delve = DemoTargets.attach(demo)) {
        Heartbeat after = Heartbeat.of(demo);
        System.out.printf("attach (2k goroutines): paused %.1f ms from ptrace attach to resume; heartbeat max gap %.1f ms "
            + "(before attach %.1f ms)%n", delve.attachPause().pausedMs(), after.maxGapMs(), before.maxGapMs());

        assertThat(delve.attachPause().released()).isFalse();
        // Never less than the target felt: the heartbeat sees a pause as a gap up to one 10 ms tick
        // longer, plus scheduling noise. (It can be more: dlv stops the first thread well before the rest.)
        assertThat(delve.attachPause().pausedMs()).isGreaterThanOrEqualTo(after.maxGapMs() - 25);
        assertThat(delve.version().targetGoVersion()).contains("go1.");
        assertThat(delve.goroutineListLength()).isGreaterThanOrEqualTo(2_000);
        assertThat(delve.waitReasonName(waitReasonCode(delve, "chan receive"))).isEqualTo("chan receive");
        assertThat(DemoTargets.tracerOf(demo.pid())).isPositive();

        delve.client().halt();
        assertThat(delve.client().listBreakpoints()).as("Delve's own panic and throw breakpoints").isEmpty();
        delve.client().resumeAndConfirm();

        HaltOutcome detached = delve.detach();
        assertThat(detached.paused()).as("on amd64 ending the session is a kill, no halt").isZero();
      }
      assertThat(DemoTargets.tracerOf(demo.pid())).isZero();
      assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
    }
  }

  @Test
  void anAttachThatOverrunsItsTimeoutIsKilledAndTheTargetRunsOn() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(20_000)) {
      TargetProcess target = TargetProcessFinder.forThisProcess().describe(demo.pid());
      DelveAttachment.Options tooShort = new DelveAttachment.Options(Duration.ofMillis(60), Duration.ofSeconds(30));

      assertThatThrownBy(() -> DelveAttachment.attach(TestEnvironment.get().dlv(), target, tooShort))
          .isInstanceOf(AttachOverrunException.class)
          .hasMessageContaining("60 ms attach budget").hasMessageContaining("target runs on");
      assertThat(demo.getTraced("/healthz", null).get(5, TimeUnit.SECONDS)).isEqualToIgnoringWhitespace("ok");
      assertThat(DemoTargets.tracerOf(demo.pid())).isZero();
    }
  }

  @Test
  void aStopSignalPendingWhenDlvDiesIsUndone() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(0);
         DelveAttachment delve = DemoTargets.attach(demo)) {
      delve.client().halt();
      // What a dlv killed halfway through stopping threads leaves behind: a SIGSTOP not yet consumed.
      assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(demo.pid())).start().waitFor()).isZero();
      CompletableFuture<String> health = demo.getTraced("/healthz", null);

      delve.kill();

      assertThat(health.get(5, TimeUnit.SECONDS)).isEqualToIgnoringWhitespace("ok");
      assertThat(DemoTargets.tracerOf(demo.pid())).isZero();
    }
  }

  /** The runtime's code for a wait reason, found by name through the attachment's table. */
  private static long waitReasonCode(DelveAttachment delve, String name) {
    for (long code = 1; code < 128; code++) {
      if (delve.waitReasonName(code).equals(name)) {
        return code;
      }
    }
    throw new AssertionError("no wait reason named " + name);
  }
}
