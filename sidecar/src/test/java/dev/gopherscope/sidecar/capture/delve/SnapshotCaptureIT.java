package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.capture.delve.SnapshotResult.Outcome;
import dev.gopherscope.sidecar.pprof.StackFrame;
import dev.gopherscope.testsupport.GoDemoProcess;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Breakpoint snapshots with real dlv on the real demo while requests flow. */
class SnapshotCaptureIT {

  private static final PauseBudget BUDGET_MS_500 = PauseBudget.of(Duration.ofMillis(500));

  @Test
  void recordsHitsWithArgumentsAndLabelsThenRemovesTheBreakpoint() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(100);
         DelveAttachment delve = DemoTargets.attach(demo);
         Traffic traffic = new Traffic(demo, "/work/cpu?ms=5")) {
      Heartbeat before = Heartbeat.of(demo);
      SnapshotResult result = new SnapshotCapture().capture(delve,
          SnapshotRequest.at("main.burnCPU").withMaxHits(2).withTimeout(Duration.ofSeconds(30)), BUDGET_MS_500);
      Heartbeat after = Heartbeat.of(demo);

      System.out.printf(Locale.ROOT, "snapshot: %s; hit pauses %s ms; attach paused %.1f ms; heartbeat max gap "
              + "%.1f ms before, %.1f ms after%n", result.message(),
          result.hits().stream().map(h -> String.format(Locale.ROOT, "%.1f", h.pausedMs())).toList(),
          delve.attachPause().pausedMs(), before.maxGapMs(), after.maxGapMs());

      assertThat(result.outcome()).isEqualTo(Outcome.MAX_HITS);
      assertThat(result.location()).startsWith("main.burnCPU ").contains("workloads.go:");
      assertThat(result.hits()).hasSize(2).allSatisfy(hit -> {
        assertThat(hit.stack()).extracting(StackFrame::function).startsWith("main.burnCPU").contains("main.handleCPU");
        assertThat(hit.labels()).containsEntry("route", "/work/cpu").containsKey("trace_id");
        assertThat(hit.arguments()).anySatisfy(arg -> {
          assertThat(arg.name()).isEqualTo("d");
          assertThat(arg.type()).isEqualTo("time.Duration");
          assertThat(arg.value()).isEqualTo("5000000");
        });
      });
      assertThat(result.breakpointRemoved()).isTrue();
      assertThat(result.budgetExceeded()).isFalse();
      assertThat(result.pausedMs()).isLessThan(BUDGET_MS_500.limit().toMillis());

      // The breakpoint is gone: a request through burnCPU completes with dlv still attached...
      assertThat(demo.getTraced("/work/cpu?ms=1", null).get(10, TimeUnit.SECONDS)).startsWith("cpu ms=1");
      // ...and Delve lists none (it answers only with the target halted).
      delve.client().halt();
      assertThat(delve.client().listBreakpoints()).isEmpty();
      delve.client().resumeAndConfirm();
      assertThat(traffic.completed()).isPositive();
    }
  }

  @Test
  void aConditionSelectsTheHit() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(0);
         DelveAttachment delve = DemoTargets.attach(demo);
         Traffic small = new Traffic(demo, "/work/cpu?ms=2");
         Traffic large = new Traffic(demo, "/work/cpu?ms=7")) {
      SnapshotResult result = new SnapshotCapture().capture(delve, SnapshotRequest.at("main.burnCPU")
          .withCondition("d == 7000000").withLocals(false).withTimeout(Duration.ofSeconds(30)), BUDGET_MS_500);

      System.out.println("conditional snapshot: " + result.message());
      assertThat(result.outcome()).isEqualTo(Outcome.MAX_HITS);
      assertThat(result.hits()).singleElement().satisfies(hit -> {
        assertThat(hit.arguments()).anySatisfy(arg -> assertThat(arg.value()).isEqualTo("7000000"));
        assertThat(hit.locals()).isEmpty();
      });
      assertThat(result.breakpointRemoved()).isTrue();
    }
  }

  @Test
  void aLocationNeverReachedTimesOutAndLeavesNoBreakpoint() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(0);
         DelveAttachment delve = DemoTargets.attach(demo)) {
      SnapshotResult result = new SnapshotCapture().capture(delve,
          SnapshotRequest.at("main.waitOnLock").withTimeout(Duration.ofMillis(500)), BUDGET_MS_500);

      System.out.println("timed-out snapshot: " + result.message());
      assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
      assertThat(result.hits()).isEmpty();
      assertThat(result.breakpointRemoved()).isTrue();
      assertThat(result.message()).contains("timed out").contains("main.waitOnLock");
      assertThat(demo.getTraced("/work/lock?ms=1", null).get(10, TimeUnit.SECONDS)).startsWith("lock ms=1");
    }
  }

  @Test
  void anUnknownLocationFailsClearlyAndTheTargetRunsOn() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(0);
         DelveAttachment delve = DemoTargets.attach(demo)) {
      SnapshotResult result = new SnapshotCapture().capture(delve,
          SnapshotRequest.at("main.noSuchFunction"), BUDGET_MS_500);

      System.out.println("failed snapshot: " + result.message());
      assertThat(result.outcome()).isEqualTo(Outcome.DELVE_FAILED);
      assertThat(result.message()).contains("noSuchFunction");
      assertThat(result.breakpointRemoved()).isTrue();
      assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
      assertThat(delve.isAlive()).isTrue();
    }
  }
}
