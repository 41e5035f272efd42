package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.delve.DelveTypes.GoroutineField;
import dev.gopherscope.sidecar.delve.DelveTypes.GoroutineFilter;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoroutineQueryTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @Test
  void sessionLabelsAndKeysBecomeDelveLabelFilters() {
    GoroutineQuery query = GoroutineQuery.of(LabelMatcher.any().withLabel("route", "/checkout").withKey("tenant"));

    assertThat(query.serverFilters()).containsExactlyInAnyOrder(
        GoroutineFilter.label("route", "/checkout"), GoroutineFilter.hasLabel("tenant"));
    assertThat(query.serverFilters()).allSatisfy(f -> assertThat(f.kind()).isEqualTo(GoroutineField.LABEL));
  }

  @Test
  void aTraceAsksDelveOnlyForTracedGoroutinesAndMatchesTheIdHere() {
    GoroutineQuery query = GoroutineQuery.of(LabelMatcher.any().withTrace(TRACE_ID));

    assertThat(query.serverFilters()).containsExactly(GoroutineFilter.hasLabel("traceparent"));
    // Another span of the same trace: a different traceparent, the same trace id.
    assertThat(query.matches(Map.of("traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01"))).isTrue();
    assertThat(query.matches(Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")))
        .isFalse();
    assertThat(query.matches(Map.of("route", "/idle"))).isFalse();
  }

  @Test
  void anAppThatLabelsOnlyTraceIdsNamesThatKey() {
    GoroutineQuery query = new GoroutineQuery(LabelMatcher.any().withTrace(TRACEPARENT), "trace_id");

    assertThat(query.serverFilters()).containsExactly(GoroutineFilter.hasLabel("trace_id"));
    assertThat(query.matches(Map.of("trace_id", TRACE_ID.toUpperCase()))).isTrue();
  }

  @Test
  void whatDelveCannotExpressIsLeftToTheClientSide() {
    GoroutineQuery query = GoroutineQuery.of(LabelMatcher.any().withLabel("a=b", "c").withLabel("empty", ""));

    assertThat(query.serverFilters()).isEmpty();
    assertThat(query.matches(Map.of("a=b", "c", "empty", "x"))).isFalse();
  }

  @Test
  void noFilterMatchesEverything() {
    GoroutineQuery query = GoroutineQuery.of(LabelMatcher.any());

    assertThat(query.serverFilters()).isEmpty();
    assertThat(query.matches(Map.of())).isTrue();
  }
}
