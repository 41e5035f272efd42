package dev.gopherscope.sidecar.pprof;

import java.util.Objects;
import java.util.Optional;

/**
 * The trace a goroutine works for, normalised from whichever label convention it carried.
 *
 * @param traceId 32 lowercase hex digits, as in a W3C traceparent
 * @param spanId 16 lowercase hex digits, when the labels name a span
 */
public record TraceContext(String traceId, Optional<String> spanId) {
  public TraceContext {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
  }
}
