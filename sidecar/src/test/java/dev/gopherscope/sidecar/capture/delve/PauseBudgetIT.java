package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.capture.delve.GoroutineCaptureResult.Outcome;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.testsupport.GoDemoProcess;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Real dlv on the real demo: the pause budget holds, and the watchdog ends halts that overrun it. */
class PauseBudgetIT {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
  private static final Duration BUDGET = Duration.ofMillis(50);

  @Test
  void aLabelFilteredCaptureOfFiftyThousandGoroutinesStopsAtTheBudget() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(50_000)) {
      CompletableFuture<String> blocked = demo.getTraced("/work/block?ms=60000", TRACEPARENT);
      DemoTargets.awaitGoroutineLabelled(demo, TRACE_ID);
      Heartbeat before = Heartbeat.of(demo);

      try (DelveAttachment delve = DemoTargets.attach(demo)) {
        GoroutineCaptureResult result = new DelveGoroutineCapture(DelveGoroutineCapture.Options.defaults())
            .capture(delve, GoroutineQuery.of(LabelMatcher.any().withLabel("route", "/work/block")),
                PauseBudget.of(BUDGET));
        Heartbeat after = Heartbeat.of(demo);

        System.out.printf("50k goroutines, 50 ms budget: attach paused %.1f ms; capture paused %.1f ms, "
                + "scanned %,d of ~%,d, outcome %s; heartbeat max gap %.1f ms before, %.1f ms after%n  %s%n",
            delve.attachPause().pausedMs(), result.pausedMs(), result.goroutinesScanned(), result.goroutinesTotal(),
            result.outcome(), before.maxGapMs(), after.maxGapMs(), result.message());

        assertThat(result.complete()).isFalse();
        assertThat(result.outcome()).isIn(Outcome.PAUSE_BUDGET, Outcome.WATCHDOG_KILLED_DLV);
        assertThat(result.message()).contains("50 ms pause budget");
        assertThat(result.goroutinesScanned()).isPositive().isLessThan(result.goroutinesTotal());
        assertThat(result.goroutinesTotal()).isGreaterThanOrEqualTo(50_000);
        // The budget plus the watchdog's grace, plus a little for dlv's death if it had to die.
        assertThat(result.pausedMs()).isLessThan(BUDGET.toMillis() + PauseBudget.DEFAULT_GRACE.toMillis() + 50);
        assertThat(after.maxGapMs()).isLessThan(BUDGET.toMillis() + delve.attachPause().pausedMs() + 1_000);
        assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
      }
      blocked.cancel(true);
    }
  }

  @Test
  void theWatchdogKillsDlvWhenOnePageOverrunsAndTheTargetRunsOn() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(50_000)) {
      try (DelveAttachment delve = DemoTargets.attach(demo)) {
        // One page of every goroutine takes seconds: only the watchdog can end that halt.
        DelveGoroutineCapture oversized = new DelveGoroutineCapture(
            new DelveGoroutineCapture.Options(60_000, 60_000, 1_000, 100, 64));
        long before = System.nanoTime();
        GoroutineCaptureResult result = oversized.capture(delve,
            GoroutineQuery.of(LabelMatcher.any().withLabel("route", "/nowhere")), PauseBudget.of(BUDGET));
        double returnedAfterMs = (System.nanoTime() - before) / 1e6;
        Heartbeat after = Heartbeat.of(demo);

        System.out.printf("watchdog: capture returned after %.1f ms, paused %.1f ms, outcome %s; "
                + "attach paused %.1f ms; heartbeat max gap %.1f ms%n  %s%n", returnedAfterMs, result.pausedMs(),
            result.outcome(), delve.attachPause().pausedMs(), after.maxGapMs(), result.message());

        assertThat(result.outcome()).isEqualTo(Outcome.WATCHDOG_KILLED_DLV);
        assertThat(result.budgetExceeded()).isTrue();
        assertThat(result.message()).contains("killed dlv").contains("attach again");
        assertThat(result.pausedMs()).isLessThan(BUDGET.toMillis() + PauseBudget.DEFAULT_GRACE.toMillis() + 200);
        assertThat(delve.isAlive()).isFalse();
        assertThat(DemoTargets.tracerOf(demo.pid())).isZero();
        assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
        assertThat(after.maxGapMs()).isLessThan(delve.attachPause().pausedMs() + 1_000);

        GoroutineCaptureResult again = oversized.capture(delve, GoroutineQuery.of(LabelMatcher.any()),
            PauseBudget.of(BUDGET));
        assertThat(again.outcome()).isEqualTo(Outcome.DLV_GONE);
      }
    }
  }

  @Test
  void aGenerousBudgetFindsExactlyTheTracedRequestWithItsStack() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(2_000)) {
      CompletableFuture<String> traced = demo.getTraced("/work/block?ms=60000", TRACEPARENT);
      CompletableFuture<String> other = demo.getTraced("/work/block?ms=60000",
          "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
      DemoTargets.awaitGoroutineLabelled(demo, TRACE_ID);
      DemoTargets.awaitGoroutineLabelled(demo, "0af7651916cd43dd8448eb211c80319c");

      try (DelveAttachment delve = DemoTargets.attach(demo)) {
        GoroutineCaptureResult result = new DelveGoroutineCapture(DelveGoroutineCapture.Options.defaults())
            .capture(delve, GoroutineQuery.of(LabelMatcher.any().withTrace(TRACEPARENT)),
                PauseBudget.of(Duration.ofSeconds(5)));

        System.out.printf("2k goroutines, trace filter: attach paused %.1f ms; capture paused %.1f ms, "
                + "scanned %,d, matched %d%n  %s%n", delve.attachPause().pausedMs(), result.pausedMs(),
            result.goroutinesScanned(), result.matched(), result.message());

        assertThat(result.outcome()).isEqualTo(Outcome.COMPLETE);
        assertThat(result.complete()).isTrue();
        assertThat(result.budgetExceeded()).isFalse();
        assertThat(result.goroutinesScanned()).isGreaterThanOrEqualTo(2_000);
        assertThat(result.goroutines()).singleElement().satisfies(g -> {
          assertThat(g.labels()).containsEntry("trace_id", TRACE_ID).containsEntry("route", "/work/block");
          assertThat(g.stackFunctions()).contains("main.waitOnChannel", "main.handleBlock");
          assertThat(g.status()).isEqualTo("waiting");
          assertThat(g.waitReason()).isEqualTo("chan receive");
          assertThat(g.user().function()).isEqualTo("main.waitOnChannel");
        });
        assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
      }
      traced.cancel(true);
      other.cancel(true);
    }
  }
}
