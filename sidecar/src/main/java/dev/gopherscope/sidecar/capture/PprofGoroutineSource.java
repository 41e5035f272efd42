package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.SampleFilter;
import dev.gopherscope.sidecar.pprof.StackGroupOptions;
import dev.gopherscope.sidecar.pprof.StackGroups;
import java.time.Duration;

/** Goroutine snapshots from {@code goroutine?debug=0}: every goroutine with its labels, and no halt. */
final class PprofGoroutineSource implements GoroutineSource {

  private final StackGroupOptions options;

  PprofGoroutineSource(StackGroupOptions options) {
    this.options = options;
  }

  @Override
  public GoroutineSnapshot take(CaptureContext context, Duration pauseBudget) {
    PprofProfile all = context.requirePprof().goroutines();
    PprofProfile matched = new SampleFilter(context.filter()).apply(all);
    PprofProfile redacted = context.redactor().profile(matched);
    return new GoroutineSnapshot(StackGroups.of(redacted, options), all.total(0), matched.total(0), redacted, 0, false,
        "");
  }
}
