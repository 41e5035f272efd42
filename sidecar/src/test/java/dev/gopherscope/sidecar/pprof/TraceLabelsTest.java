package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceLabelsTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE + "-" + SPAN + "-01";

  @Test
  void w3cTraceparentGivesTraceAndParentSpan() {
    assertThat(TraceLabels.of(Map.of("traceparent", TRACEPARENT)))
        .contains(new TraceContext(TRACE, Optional.of(SPAN)));
  }

  @Test
  void futureTraceparentVersionsMayCarryMoreFields() {
    assertThat(TraceLabels.parseTraceparent("01-" + TRACE + "-" + SPAN + "-01-extra"))
        .contains(new TraceContext(TRACE, Optional.of(SPAN)));
    assertThat(TraceLabels.parseTraceparent("01-" + TRACE + "-" + SPAN + "-01")).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",              // no flags
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",           // uppercase: the spec forbids it
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",           // zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",           // zero span id
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",           // version ff is invalid
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",     // version 00 has exactly 4 fields
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",          // extension must start with '-'
      "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",           // wrong separators
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",           // not hex
      "0-4bf92f3577b34da6a3ce929d0e0e4736a-00f067aa0ba902b7-01",           // shifted fields
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0z"})          // flags not hex
  void malformedTraceparentsAreRejected(String value) {
    assertThat(TraceLabels.parseTraceparent(value)).isEmpty();
    assertThat(TraceLabels.of(Map.of("traceparent", value))).isEmpty();
    assertThatThrownBy(() -> TraceLabels.requireTraceId(value)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void otelStyleIdsAreLowercased() {
    assertThat(TraceLabels.of(Map.of("trace_id", TRACE.toUpperCase(), "span_id", SPAN.toUpperCase())))
        .contains(new TraceContext(TRACE, Optional.of(SPAN)));
    assertThat(TraceLabels.of(Map.of("otel.trace_id", TRACE, "otel.span_id", SPAN)))
        .contains(new TraceContext(TRACE, Optional.of(SPAN)));
    assertThat(TraceLabels.of(Map.of("trace_id", TRACE))).contains(new TraceContext(TRACE, Optional.empty()));
  }

  @Test
  void a64BitHexTraceIdIsZeroPadded() {
    assertThat(TraceLabels.of(Map.of("trace_id", "a3ce929d0e0e4736")))
        .contains(new TraceContext("0000000000000000a3ce929d0e0e4736", Optional.empty()));
  }

  @Test
  void datadogDecimalIdsBecomeZeroPaddedHex() {
    // 0xa3ce929d0e0e4736 and 0x00f067aa0ba902b7 in decimal, as dd-trace-go writes them.
    Map<String, String> labels = Map.of(
        "local root span id", Long.toUnsignedString(0xa3ce929d0e0e4736L),
        "span id", Long.toUnsignedString(0x00f067aa0ba902b7L));

    assertThat(TraceLabels.of(labels)).contains(
        new TraceContext("0000000000000000a3ce929d0e0e4736", Optional.of("00f067aa0ba902b7")));
    assertThat(TraceLabels.belongsTo(labels, "0000000000000000a3ce929d0e0e4736")).isTrue();
    assertThat(TraceLabels.belongsTo(labels, "00-0000000000000000a3ce929d0e0e4736-00f067aa0ba902b7-01")).isTrue();
  }

  @Test
  void datadogIdsAtTheEdgesOf64Bits() {
    assertThat(TraceLabels.of(Map.of("local root span id", "18446744073709551615")))
        .map(TraceContext::traceId).contains("0000000000000000ffffffffffffffff");
    assertThat(TraceLabels.of(Map.of("local root span id", "1")))
        .map(TraceContext::traceId).contains("00000000000000000000000000000001");
    assertThat(TraceLabels.of(Map.of("local root span id", "18446744073709551616"))).isEmpty();
    assertThat(TraceLabels.of(Map.of("local root span id", "0"))).isEmpty();
    assertThat(TraceLabels.of(Map.of("local root span id", "-5"))).isEmpty();
    assertThat(TraceLabels.of(Map.of("local root span id", "12ab"))).isEmpty();
    assertThat(TraceLabels.of(Map.of("local root span id", "42", "span id", "x")))
        .contains(new TraceContext("0000000000000000000000000000002a", Optional.empty()));
  }

  @Test
  void theFirstWellFormedConventionWins() {
    Map<String, String> both = Map.of("traceparent", TRACEPARENT, "trace_id", "11111111111111111111111111111111");
    assertThat(TraceLabels.of(both)).map(TraceContext::traceId).contains(TRACE);

    Map<String, String> brokenW3c = Map.of("traceparent", "garbage", "trace_id", TRACE, "local root span id", "7");
    assertThat(TraceLabels.of(brokenW3c)).map(TraceContext::traceId).contains(TRACE);

    Map<String, String> onlyDatadog = Map.of("trace_id", "not-hex", "local root span id", "7");
    assertThat(TraceLabels.of(onlyDatadog)).map(TraceContext::traceId).contains("00000000000000000000000000000007");
  }

  @Test
  void labelsWithoutATraceBelongToNone() {
    assertThat(TraceLabels.of(Map.of("route", "/idle", "worker", "3"))).isEmpty();
    assertThat(TraceLabels.belongsTo(Map.of("route", "/idle"), TRACE)).isFalse();
    assertThat(TraceLabels.of(Map.of("span_id", SPAN))).isEmpty();
  }

  @Test
  void queriesAreATraceparentOrA32HexTraceId() {
    assertThat(TraceLabels.requireTraceId(TRACEPARENT)).isEqualTo(TRACE);
    assertThat(TraceLabels.requireTraceId(" " + TRACE.toUpperCase() + " ")).isEqualTo(TRACE);
    assertThat(TraceLabels.belongsTo(Map.of("trace_id", TRACE), TRACEPARENT)).isTrue();
    assertThat(TraceLabels.belongsTo(Map.of("trace_id", TRACE), "00-" + TRACE + "-1111111111111111-00")).isTrue();
    assertThat(TraceLabels.belongsTo(Map.of("trace_id", TRACE), "0af7651916cd43dd8448eb211c80319c")).isFalse();
    assertThatThrownBy(() -> TraceLabels.requireTraceId("a3ce929d0e0e4736"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-hex-digit trace id");
    assertThatThrownBy(() -> TraceLabels.requireTraceId(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TraceLabels.belongsTo(Map.of(), "00000000000000000000000000000000"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
