package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.Filter;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import java.util.ArrayList;
import java.util.List;

/** The plan's {@code filter} as a {@link LabelMatcher}, and in words for messages and artifacts. */
public final class SessionFilter {

  private SessionFilter() {
  }

  /**
   * @throws IllegalArgumentException if the trace id is not one (the planner passes the user's through)
   */
  public static LabelMatcher matcher(Filter filter) {
    if (filter == null) {
      return LabelMatcher.any();
    }
    LabelMatcher matcher = LabelMatcher.any();
    if (filter.labels() != null) {
      matcher = matcher.withLabels(filter.labels());
    }
    if (filter.labelKeys() != null) {
      for (String key : filter.labelKeys()) {
        matcher = matcher.withKey(key);
      }
    }
    return filter.traceId() == null ? matcher : matcher.withTrace(filter.traceId());
  }

  /** {@code route=/checkout, has trace_id, trace 4bf9…}, or {@code none}. */
  public static String describe(LabelMatcher matcher) {
    List<String> parts = new ArrayList<>();
    matcher.labels().forEach((k, v) -> parts.add(k + "=" + v));
    matcher.keys().forEach(k -> parts.add("has " + k));
    matcher.traceId().ifPresent(t -> parts.add("trace " + t));
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }
}
