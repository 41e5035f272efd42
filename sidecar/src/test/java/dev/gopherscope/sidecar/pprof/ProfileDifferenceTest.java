package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileDifferenceTest {

  /** Frames are registered in the same order in both, so each gets the same address, as in one process. */
  private static ProfileBuilder heap() {
    return new ProfileBuilder().sampleType("inuse_space", "bytes");
  }

  @Test
  void isTheLastMinusTheFirstPerStackWithUnchangedStacksLeftOut() throws Exception {
    PprofProfile base = heap()
        .sample(new long[] {10}, Map.of(), "main.grow", "main.main")
        .sample(new long[] {5}, Map.of(), "main.shrink", "main.main")
        .sample(new long[] {3}, Map.of(), "main.steady", "main.main")
        .sample(new long[] {7}, Map.of(), "main.gone", "main.main")
        .build();
    PprofProfile last = heap()
        .sample(new long[] {20}, Map.of(), "main.grow", "main.main")
        // A second sample of the same stack (Go splits them by object size): summed.
        .sample(new long[] {5}, Map.of("bytes", "64"), "main.grow", "main.main")
        .sample(new long[] {2}, Map.of(), "main.shrink", "main.main")
        .sample(new long[] {3}, Map.of(), "main.steady", "main.main")
        .build();

    PprofProfile difference = ProfileDifference.between(base, last);

    assertThat(byLeaf(difference)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "main.grow", 15L, "main.shrink", -3L, "main.gone", -7L));
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    PprofEncoder.write(difference, encoded);
    PprofProfile decoded = new PprofDecoder(PprofLimits.defaults()).decode(encoded.toByteArray());
    assertThat(byLeaf(decoded)).isEqualTo(byLeaf(difference));
    assertThat(decoded.string(decoded.comments().get(0))).contains("go tool pprof -base");
  }

  @Test
  void refusesProfilesOfDifferentKinds() {
    PprofProfile heap = heap().sample(new long[] {1}, Map.of(), "main.f").build();
    PprofProfile goroutines = ProfileBuilder.goroutines().goroutine(1, Map.of(), "main.f").build();
    assertThatThrownBy(() -> ProfileDifference.between(goroutines, heap))
        .hasMessageContaining("profiles of different kinds cannot be subtracted");
  }

  private static Map<String, Long> byLeaf(PprofProfile p) {
    Map<Long, String> names = new HashMap<>();
    Map<Long, Long> functionOfLocation = new HashMap<>();
    p.functions().forEach(f -> names.put(f.id(), p.string(f.name())));
    p.locations().forEach(l -> functionOfLocation.put(l.id(), l.lines().get(0).functionId()));
    Map<String, Long> values = new HashMap<>();
    for (int s = 0; s < p.samples().size(); s++) {
      String leaf = names.get(functionOfLocation.get(p.samples().locationId(s, 0)));
      values.merge(leaf, p.samples().value(s, 0), Long::sum);
    }
    assertThat(List.copyOf(values.keySet())).doesNotHaveDuplicates();
    return values;
  }
}
