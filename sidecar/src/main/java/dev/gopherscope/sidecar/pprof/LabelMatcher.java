package dev.gopherscope.sidecar.pprof;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which goroutines matter, by their pprof labels: every {@code key=value} pair must be present
 * exactly, every key in {@code keys} must be present with any value, and when {@code traceId} is
 * set the labels must name that trace under one of the conventions {@link TraceLabels} knows. A
 * matcher with no criteria matches everything.
 *
 * <p>This is the DebugSession's {@code spec.filter}. It applies to a label map (a Delve goroutine)
 * through {@link #matches(Map)} and to a profile's samples through {@link SampleFilter}, which
 * gives the same answers without building a map per sample.
 *
 * @param labels exact pairs; as in pprof, a label with an empty value is no label
 * @param keys keys that must be present
 * @param traceId a normalised trace id (see {@link TraceLabels#requireTraceId})
 */
public record LabelMatcher(Map<String, String> labels, Set<String> keys, Optional<String> traceId) {

  public LabelMatcher {
    labels = Map.copyOf(labels);
    keys = Set.copyOf(keys);
    Objects.requireNonNull(traceId, "traceId");
    if (traceId.isPresent() && !traceId.get().equals(TraceLabels.requireTraceId(traceId.get()))) {
      throw new IllegalArgumentException("traceId must be a normalised 32-lowercase-hex trace id, got " + traceId.get());
    }
  }

  public static LabelMatcher any() {
    return new LabelMatcher(Map.of(), Set.of(), Optional.empty());
  }

  public LabelMatcher withLabel(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(labels);
    more.put(key, value);
    return new LabelMatcher(more, keys, traceId);
  }

  public LabelMatcher withLabels(Map<String, String> pairs) {
    Map<String, String> more = new LinkedHashMap<>(labels);
    more.putAll(pairs);
    return new LabelMatcher(more, keys, traceId);
  }

  public LabelMatcher withKey(String key) {
    Set<String> more = new LinkedHashSet<>(keys);
    more.add(key);
    return new LabelMatcher(labels, more, traceId);
  }

  /**
   * Restricts to one trace, given as a W3C traceparent or a bare 32-hex-digit trace id.
   *
   * @throws IllegalArgumentException if it is neither
   */
  public LabelMatcher withTrace(String traceparentOrTraceId) {
    return new LabelMatcher(labels, keys, Optional.of(TraceLabels.requireTraceId(traceparentOrTraceId)));
  }

  public boolean matchesEverything() {
    return labels.isEmpty() && keys.isEmpty() && traceId.isEmpty();
  }

  public boolean matches(Map<String, String> goroutineLabels) {
    for (Map.Entry<String, String> pair : labels.entrySet()) {
      if (pair.getValue().isEmpty() || !pair.getValue().equals(goroutineLabels.get(pair.getKey()))) {
        return false;
      }
    }
    for (String key : keys) {
      String value = goroutineLabels.get(key);
      if (value == null || value.isEmpty()) {
        return false;
      }
    }
    return traceId.isEmpty() || TraceLabels.of(goroutineLabels)
        .map(trace -> trace.traceId().equals(traceId.get())).orElse(false);
  }
}
