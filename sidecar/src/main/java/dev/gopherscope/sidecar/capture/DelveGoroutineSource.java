package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.capture.delve.DelveGoroutineCapture;
import dev.gopherscope.sidecar.capture.delve.GoroutineCaptureResult;
import dev.gopherscope.sidecar.capture.delve.GoroutineCaptureResult.Outcome;
import dev.gopherscope.sidecar.capture.delve.GoroutineQuery;
import dev.gopherscope.sidecar.capture.delve.PauseBudget;
import dev.gopherscope.sidecar.pprof.StackGroupOptions;
import java.time.Duration;

/**
 * Goroutine snapshots through Delve, for an app without a pprof endpoint: the target is halted,
 * Delve lists the goroutines that match the session's labels (filtering them itself), their
 * stacks are read while the budget lasts, and the target is resumed. A scan the budget cut short
 * is kept, and its note says so.
 */
final class DelveGoroutineSource implements GoroutineSource {

  private final StackGroupOptions options;

  DelveGoroutineSource(StackGroupOptions options) {
    this.options = options;
  }

  /**
   * One Delve listing; a listing that saw no goroutine at all (dlv gone or failing at once) is a
   * failure, while one the budget cut short is a partial result its message describes.
   */
  static GoroutineCaptureResult capture(CaptureContext context, GoroutineQuery query, Duration pauseBudget) {
    GoroutineCaptureResult result = new DelveGoroutineCapture(DelveGoroutineCapture.Options.defaults())
        .capture(context.delve().attachment(), query, PauseBudget.of(pauseBudget));
    if (result.outcome() == Outcome.DLV_GONE
        || result.outcome() != Outcome.COMPLETE && result.goroutinesScanned() == 0) {
      throw new CaptureException(result.message());
    }
    return result;
  }

  @Override
  public GoroutineSnapshot take(CaptureContext context, Duration pauseBudget) {
    GoroutineCaptureResult result = capture(context, GoroutineQuery.of(context.filter()), pauseBudget);
    long total = result.goroutinesTotal() >= 0 ? result.goroutinesTotal() : result.goroutinesScanned();
    return new GoroutineSnapshot(DelveStackGroups.of(result.goroutines(), context.redactor(), options), total,
        result.matched(), null, result.pausedMs(), result.budgetExceeded(), result.message());
  }
}
