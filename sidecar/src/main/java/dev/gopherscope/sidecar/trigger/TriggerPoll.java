package dev.gopherscope.sidecar.trigger;

import dev.gopherscope.contract.SidecarPlan.TriggerPlan;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.pprof.MemStats;
import dev.gopherscope.sidecar.pprof.SampleFilter;
import dev.gopherscope.sidecar.pprofhttp.PprofFetchException;
import dev.gopherscope.sidecar.pprofhttp.PprofHttpClient;

/**
 * One read of a trigger's figure from the app's pprof endpoint, never halting it. Each kind reads
 * the cheapest page that holds its figure: the index page's goroutine count
 * ({@code runtime.NumGoroutine}, no stop-the-world), the heap profile's MemStats text (one
 * {@code ReadMemStats}), the goroutine profile with labels (a short stop-the-world to start it).
 */
@FunctionalInterface
public interface TriggerPoll {

  /**
   * The figure now.
   *
   * @throws PprofFetchException when the endpoint cannot answer
   */
  long read();

  /** The poll for {@code trigger}, which must not be a breakpoint trigger. */
  static TriggerPoll of(TriggerPlan trigger, PprofHttpClient pprof) {
    return switch (trigger.kind()) {
      case GoroutinesAbove -> () -> {
        Long count = pprof.profileCounts().get("goroutine");
        if (count == null) {
          throw new PprofFetchException(pprof.endpoint() + "'s pprof index page lists no goroutine count");
        }
        return count;
      };
      case HeapInUseAbove -> () -> pprof.heapText(MemStats::read).heapInuse();
      case LabelAppears -> {
        SampleFilter labelled = new SampleFilter(LabelMatcher.any().withLabels(trigger.labels()));
        yield () -> labelled.apply(pprof.goroutines()).total(0);
      }
      case Breakpoint -> throw new IllegalArgumentException("a breakpoint trigger is not polled");
    };
  }

  /** Whether {@code value} fires {@code trigger}. */
  static boolean holds(TriggerPlan trigger, long value) {
    return switch (trigger.kind()) {
      case GoroutinesAbove, HeapInUseAbove -> value > trigger.threshold();
      case LabelAppears -> value > 0;
      case Breakpoint -> throw new IllegalArgumentException("a breakpoint trigger is not polled");
    };
  }
}
