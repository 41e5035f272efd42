package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.delve.DelveTypes.GoroutineFilter;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.pprof.TraceLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which goroutines a Delve capture keeps: the session's label filter, split into what Delve can
 * filter itself (so that non-matching goroutines never cross the socket) and the exact match done
 * here.
 *
 * <p>Delve's label filter is an exact {@code key=value} or a bare {@code key} (present with any
 * value), and several filters must all match. Session labels and keys map onto it directly. A
 * trace id does not: apps label it under different keys ({@code traceparent}, {@code trace_id},
 * {@code otel.trace_id}, Datadog's), and a goroutine of the trace may carry the id only inside its
 * {@code traceparent}, whose span id differs from goroutine to goroutine. An exact
 * {@code trace_id=<id>} would miss those, so Delve is asked only for goroutines that carry the
 * trace label at all ({@link #traceLabelKey}, {@code traceparent} unless the app uses another
 * convention), and the trace id is matched here under every convention {@link TraceLabels} knows.
 * That ships every traced goroutine of the page, a small set next to idle workers and pools.
 *
 * @param matcher the session's filter
 * @param traceLabelKey the label whose presence Delve checks when the filter names a trace
 */
public record GoroutineQuery(LabelMatcher matcher, String traceLabelKey) {

  public GoroutineQuery {
    Objects.requireNonNull(matcher, "matcher");
    Objects.requireNonNull(traceLabelKey, "traceLabelKey");
  }

  /** The query for {@code matcher}, with the trace label {@code traceparent}. */
  public static GoroutineQuery of(LabelMatcher matcher) {
    return new GoroutineQuery(matcher, TraceLabels.TRACEPARENT);
  }

  /** The filters Delve applies itself; each is implied by {@link #matches}. */
  public List<GoroutineFilter> serverFilters() {
    List<GoroutineFilter> filters = new ArrayList<>();
    matcher.labels().forEach((key, value) -> {
      // Delve splits the argument at the first '=', so such a key can only be matched here.
      if (!key.contains("=") && !value.isEmpty()) {
        filters.add(GoroutineFilter.label(key, value));
      }
    });
    matcher.keys().stream().filter(key -> !key.contains("=")).forEach(key -> filters.add(GoroutineFilter.hasLabel(key)));
    if (matcher.traceId().isPresent() && !traceLabelKey.contains("=")) {
      filters.add(GoroutineFilter.hasLabel(traceLabelKey));
    }
    return filters;
  }

  public boolean matches(Map<String, String> labels) {
    return matcher.matches(labels);
  }
}
