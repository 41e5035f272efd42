package dev.gopherscope.sidecar.pprof;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the trace a goroutine or sample belongs to from its pprof labels, whatever tracing library
 * set them, and normalises it to one W3C-style trace id so that a single filter finds them all.
 *
 * <p>Conventions, consulted in this order; the first whose trace id is well-formed wins, and its
 * own span label supplies the span id:
 * <ol>
 *   <li>{@code traceparent}: a W3C Trace Context header value, parsed as the spec says (lowercase
 *       hex, version {@code ff} and all-zero ids invalid, version {@code 00} exactly 55 chars).
 *   <li>{@code trace_id} or {@code otel.trace_id} with {@code span_id} or {@code otel.span_id}:
 *       hex ids (any case). A 16-digit trace id is a 64-bit id and is zero-padded.
 *   <li>Datadog's {@code local root span id} with {@code span id}: unsigned decimal 64-bit ids.
 *       Datadog's profiler labels carry no trace id; the local root span id is the per-request
 *       id it links profiles by, and equals the trace id's low 64 bits when the service started
 *       the trace. It is zero-padded to 32 hex digits, the mapping OpenTelemetry uses between
 *       Datadog's 64-bit and W3C's 128-bit trace ids.
 * </ol>
 */
public final class TraceLabels {

  public static final String TRACEPARENT = "traceparent";
  public static final String TRACE_ID = "trace_id";
  public static final String OTEL_TRACE_ID = "otel.trace_id";
  public static final String SPAN_ID = "span_id";
  public static final String OTEL_SPAN_ID = "otel.span_id";
  public static final String DATADOG_LOCAL_ROOT_SPAN_ID = "local root span id";
  public static final String DATADOG_SPAN_ID = "span id";

  private static final int TRACEPARENT_V00_LENGTH = 55;
  private static final String PAD_64_TO_128 = "0000000000000000";

  private TraceLabels() {
  }

  /**
   * One way of naming the trace in labels. The order of the constants is the order of precedence.
   */
  enum Convention {
    W3C(List.of(TRACEPARENT)) {
      @Override
      Optional<String> traceId(String value) {
        return parseTraceparent(value).map(TraceContext::traceId);
      }

      @Override
      Optional<String> spanId(String traceValue, Function<String, String> label) {
        return parseTraceparent(traceValue).flatMap(TraceContext::spanId);
      }
    },
    OTEL(List.of(TRACE_ID, OTEL_TRACE_ID)) {
      @Override
      Optional<String> traceId(String value) {
        return hexTraceId(value);
      }

      @Override
      Optional<String> spanId(String traceValue, Function<String, String> label) {
        return hexSpanId(label.apply(SPAN_ID)).or(() -> hexSpanId(label.apply(OTEL_SPAN_ID)));
      }
    },
    DATADOG(List.of(DATADOG_LOCAL_ROOT_SPAN_ID)) {
      @Override
      Optional<String> traceId(String value) {
        return datadogId(value).map(id -> PAD_64_TO_128 + id);
      }

      @Override
      Optional<String> spanId(String traceValue, Function<String, String> label) {
        return datadogId(label.apply(DATADOG_SPAN_ID));
      }
    };

    final List<String> traceKeys;

    Convention(List<String> traceKeys) {
      this.traceKeys = traceKeys;
    }

    /** The normalised trace id, if {@code value} (of one of {@link #traceKeys}) is well-formed. */
    abstract Optional<String> traceId(String value);

    abstract Optional<String> spanId(String traceValue, Function<String, String> label);
  }

  public static Optional<TraceContext> of(Map<String, String> labels) {
    return of(labels::get);
  }

  /**
   * The trace named by the labels that {@code label} returns by key ({@code null} when absent).
   */
  public static Optional<TraceContext> of(Function<String, String> label) {
    for (Convention convention : Convention.values()) {
      for (String key : convention.traceKeys) {
        String value = label.apply(key);
        Optional<String> traceId = convention.traceId(value);
        if (traceId.isPresent()) {
          return Optional.of(new TraceContext(traceId.get(), convention.spanId(value, label)));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the labels name the trace given as a traceparent or a bare trace id.
   *
   * @throws IllegalArgumentException if {@code traceparentOrTraceId} is neither
   */
  public static boolean belongsTo(Map<String, String> labels, String traceparentOrTraceId) {
    String wanted = requireTraceId(traceparentOrTraceId);
    return of(labels).map(trace -> trace.traceId().equals(wanted)).orElse(false);
  }

  /**
   * The normalised trace id of a user's query: a W3C traceparent, or a trace id of 32 hex digits
   * in either case.
   *
   * @throws IllegalArgumentException if it is neither, with a message a user can act on
   */
  public static String requireTraceId(String traceparentOrTraceId) {
    String query = traceparentOrTraceId == null ? "" : traceparentOrTraceId.strip();
    Optional<TraceContext> w3c = parseTraceparent(query);
    if (w3c.isPresent()) {
      return w3c.get().traceId();
    }
    if (query.length() == 32 && isHex(query, 0, 32) && !isZeros(query, 0, 32)) {
      return query.toLowerCase(Locale.ROOT);
    }
    throw new IllegalArgumentException("not a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>) nor a "
        + "32-hex-digit trace id (not all zeros): '" + traceparentOrTraceId + "'");
  }

  /** Parses a W3C traceparent strictly, per the Trace Context spec. */
  public static Optional<TraceContext> parseTraceparent(String value) {
    if (value == null || value.length() < TRACEPARENT_V00_LENGTH
        || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
      return Optional.empty();
    }
    boolean wellFormed = isLowerHex(value, 0, 2) && isLowerHex(value, 3, 35)
        && isLowerHex(value, 36, 52) && isLowerHex(value, 53, 55)
        && !value.startsWith("ff")
        && (value.startsWith("00") ? value.length() == TRACEPARENT_V00_LENGTH
            : value.length() == TRACEPARENT_V00_LENGTH || value.charAt(TRACEPARENT_V00_LENGTH) == '-')
        && !isZeros(value, 3, 35) && !isZeros(value, 36, 52);
    if (!wellFormed) {
      return Optional.empty();
    }
    return Optional.of(new TraceContext(value.substring(3, 35), Optional.of(value.substring(36, 52))));
  }

  private static Optional<String> hexTraceId(String value) {
    if (value == null || (value.length() != 32 && value.length() != 16)
        || !isHex(value, 0, value.length()) || isZeros(value, 0, value.length())) {
      return Optional.empty();
    }
    String lower = value.toLowerCase(Locale.ROOT);
    return Optional.of(lower.length() == 16 ? PAD_64_TO_128 + lower : lower);
  }

  private static Optional<String> hexSpanId(String value) {
    if (value == null || value.length() != 16 || !isHex(value, 0, 16) || isZeros(value, 0, 16)) {
      return Optional.empty();
    }
    return Optional.of(value.toLowerCase(Locale.ROOT));
  }

  /** A non-zero unsigned decimal 64-bit id as 16 hex digits. */
  private static Optional<String> datadogId(String value) {
    if (value == null || value.isEmpty() || value.length() > 20) {
      return Optional.empty();
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    long id;
    try {
      id = Long.parseUnsignedLong(value);
    } catch (NumberFormatException tooLarge) {
      return Optional.empty();
    }
    if (id == 0) {
      return Optional.empty();
    }
    String hex = Long.toHexString(id);
    return Optional.of(PAD_64_TO_128.substring(hex.length()) + hex);
  }

  private static boolean isLowerHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZeros(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
