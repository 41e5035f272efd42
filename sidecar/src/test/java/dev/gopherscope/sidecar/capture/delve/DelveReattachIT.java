package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.sidecar.capture.CaptureException;
import dev.gopherscope.sidecar.capture.CaptureResult;
import dev.gopherscope.sidecar.capture.DelveAccess;
import dev.gopherscope.sidecar.debuginfo.DebugInfoSource;
import dev.gopherscope.sidecar.capture.delve.GoroutineCaptureResult.Outcome;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.process.TargetProcess;
import dev.gopherscope.sidecar.process.TargetProcessFinder;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real dlv on the real demo through the session's {@link DelveAccess}: after the watchdog killed
 * dlv for a halt that overran its budget, the next Delve capture attaches again and gets its
 * goroutines, up to two re-attaches; then the session stops attaching, with a reason of its own.
 */
class DelveReattachIT {

  private static final Duration BUDGET = Duration.ofMillis(50);
  private static final Duration ATTACH_BUDGET = Duration.ofSeconds(10);
  /** One page of every goroutine: on 50,000 of them it takes seconds, so only the watchdog ends that halt. */
  private static final DelveGoroutineCapture OVERSIZED =
      new DelveGoroutineCapture(new DelveGoroutineCapture.Options(60_000, 60_000, 1_000, 100, 64));
  private static final DelveGoroutineCapture NORMAL =
      new DelveGoroutineCapture(DelveGoroutineCapture.Options.defaults());

  @Test
  void aCaptureAfterAWatchdogKillAttachesAgainUntilTheReattachLimit() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(50_000)) {
      TargetProcess target = TargetProcessFinder.forThisProcess().describe(demo.pid());
      List<String> progress = new ArrayList<>();
      try (DelveAccess delve = DelveAccess.of(TestEnvironment.get().dlv(), target, ATTACH_BUDGET,
          DebugInfoSource.none("the demo has DWARF"), progress::add)) {
        GoroutineQuery nowhere = GoroutineQuery.of(LabelMatcher.any().withLabel("route", "/nowhere"));

        GoroutineCaptureResult overran = OVERSIZED.capture(delve.attachment(), nowhere, PauseBudget.of(BUDGET));
        assertThat(overran.outcome()).isEqualTo(Outcome.WATCHDOG_KILLED_DLV);
        assertThat(DemoTargets.tracerOf(demo.pid())).as("the target runs on, no debugger").isZero();

        // The next capture of the session attaches again instead of failing with "dlv is gone".
        GoroutineCaptureResult later = NORMAL.capture(delve.attachment(), nowhere, PauseBudget.of(BUDGET));
        assertThat(later.outcome()).as(later.message()).isIn(Outcome.COMPLETE, Outcome.PAUSE_BUDGET);
        assertThat(later.goroutinesScanned()).isPositive();
        assertThat(delve.attaches()).isEqualTo(2);
        assertThat(progress).anyMatch(line -> line.contains("attaching again (re-attach 1 of 2"));

        assertThat(OVERSIZED.capture(delve.attachment(), nowhere, PauseBudget.of(BUDGET)).outcome())
            .isEqualTo(Outcome.WATCHDOG_KILLED_DLV);
        assertThat(OVERSIZED.capture(delve.attachment(), nowhere, PauseBudget.of(BUDGET)).outcome())
            .as("the third attach, the second re-attach").isEqualTo(Outcome.WATCHDOG_KILLED_DLV);
        assertThat(delve.attaches()).isEqualTo(3);

        assertThatThrownBy(delve::attachment).isInstanceOfSatisfying(CaptureException.class, e -> {
          assertThat(e.reason()).isEqualTo(CaptureResult.ATTACH_LIMIT_REACHED);
          assertThat(e.getMessage()).contains("attached it 3 times, the most it may (1 + 2 re-attaches)");
        });
        assertThat(delve.attaches()).as("no fourth dlv was started").isEqualTo(3);
        assertThat(delve.attachPausedMs()).isPositive().isLessThan(ATTACH_BUDGET.toMillis());
        assertThat(DemoTargets.tracerOf(demo.pid())).isZero();
        assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
      }
    }
  }
}
