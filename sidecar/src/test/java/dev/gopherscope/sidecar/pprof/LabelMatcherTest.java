package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The matcher on plain label maps, as Delve reports a goroutine's labels. */
class LabelMatcherTest {

  private static final Map<String, String> CHECKOUT = Map.of(
      "route", "/checkout", "tenant", "acme",
      "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

  @Test
  void everyExactPairMustMatch() {
    assertThat(LabelMatcher.any().withLabel("route", "/checkout").matches(CHECKOUT)).isTrue();
    assertThat(LabelMatcher.any().withLabels(Map.of("route", "/checkout", "tenant", "acme")).matches(CHECKOUT)).isTrue();
    assertThat(LabelMatcher.any().withLabels(Map.of("route", "/checkout", "tenant", "other")).matches(CHECKOUT)).isFalse();
    assertThat(LabelMatcher.any().withLabel("route", "/check").matches(CHECKOUT)).isFalse();
    assertThat(LabelMatcher.any().withLabel("route", "").matches(Map.of("route", ""))).isFalse();
  }

  @Test
  void keysMustBePresent() {
    assertThat(LabelMatcher.any().withKey("tenant").matches(CHECKOUT)).isTrue();
    assertThat(LabelMatcher.any().withKey("user").matches(CHECKOUT)).isFalse();
  }

  @Test
  void traceMustMatchAnyConvention() {
    LabelMatcher trace = LabelMatcher.any().withTrace("4bf92f3577b34da6a3ce929d0e0e4736");

    assertThat(trace.matches(CHECKOUT)).isTrue();
    assertThat(trace.matches(Map.of("trace_id", "4BF92F3577B34DA6A3CE929D0E0E4736"))).isTrue();
    assertThat(trace.matches(Map.of("route", "/checkout"))).isFalse();
    assertThat(trace.withLabel("route", "/checkout").matches(CHECKOUT)).isTrue();
    assertThat(trace.withLabel("route", "/other").matches(CHECKOUT)).isFalse();
  }

  @Test
  void anEmptyMatcherMatchesEverything() {
    assertThat(LabelMatcher.any().matchesEverything()).isTrue();
    assertThat(LabelMatcher.any().matches(Map.of())).isTrue();
  }

  @Test
  void onlyNormalisedTraceIdsAreAccepted() {
    assertThatThrownBy(() -> new LabelMatcher(Map.of(), Set.of(), Optional.of("4BF92F3577B34DA6A3CE929D0E0E4736")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LabelMatcher.any().withTrace("nope")).isInstanceOf(IllegalArgumentException.class);
  }
}
