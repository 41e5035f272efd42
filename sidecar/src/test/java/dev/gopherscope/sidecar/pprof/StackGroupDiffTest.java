package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.sidecar.pprof.StackGroupDiff.Change;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackGroupDiffTest {

  private static StackGroups snapshot(long pool, long handlers, long leaked, long batch) {
    ProfileBuilder b = ProfileBuilder.goroutines();
    if (pool > 0) {
      b.goroutine(pool, Map.of(), "runtime.gopark", "main.poolWorker");
    }
    if (handlers > 0) {
      b.goroutine(handlers, Map.of(), "runtime.gopark", "main.handle");
    }
    if (leaked > 0) {
      b.goroutine(leaked, Map.of(), "runtime.gopark", "main.leakedWorker");
    }
    if (batch > 0) {
      b.goroutine(batch, Map.of(), "runtime.gopark", "main.batch");
    }
    return StackGroups.of(b.build(), StackGroupOptions.defaults());
  }

  @Test
  void reportsGrownAppearedAndGoneGroups() {
    StackGroups before = snapshot(10, 5, 0, 4);
    StackGroups after = snapshot(10, 8, 30, 0);

    StackGroupDiff diff = StackGroupDiff.between(before, after);

    assertThat(diff.grown()).singleElement().satisfies(c -> {
      assertThat(c.stack()).containsExactly("runtime.gopark", "main.handle");
      assertThat(c.before()).isEqualTo(5);
      assertThat(c.after()).isEqualTo(8);
      assertThat(c.delta()).isEqualTo(3);
    });
    assertThat(diff.appeared()).singleElement().satisfies(c -> {
      assertThat(c.stack()).containsExactly("runtime.gopark", "main.leakedWorker");
      assertThat(c.delta()).isEqualTo(30);
    });
    assertThat(diff.gone()).singleElement().satisfies(c -> {
      assertThat(c.stack()).containsExactly("runtime.gopark", "main.batch");
      assertThat(c.before()).isEqualTo(4);
      assertThat(c.after()).isZero();
    });
  }

  @Test
  void unchangedAndShrunkGroupsAreNotReported() {
    StackGroupDiff diff = StackGroupDiff.between(snapshot(10, 5, 0, 0), snapshot(10, 2, 0, 0));

    assertThat(diff.grown()).isEmpty();
    assertThat(diff.appeared()).isEmpty();
    assertThat(diff.gone()).isEmpty();
  }

  @Test
  void grownGroupsAreOrderedByGrowth() {
    StackGroupDiff diff = StackGroupDiff.between(snapshot(1, 1, 1, 1), snapshot(3, 50, 10, 2));

    assertThat(diff.grown()).extracting(Change::delta).containsExactly(49L, 9L, 2L, 1L);
  }

  @Test
  void refusesToCompareDifferentSignatures() {
    PprofProfile p = ProfileBuilder.goroutines().goroutine(1, Map.of(), "main.f").build();
    StackGroups byFunction = StackGroups.of(p, StackGroupOptions.defaults());
    StackGroups byLine = StackGroups.of(p, StackGroupOptions.defaults().withFileAndLine(true));

    assertThatThrownBy(() -> StackGroupDiff.between(byFunction, byLine)).isInstanceOf(IllegalArgumentException.class);
    assertThat(StackGroupDiff.between(byFunction, byFunction).grown()).isEqualTo(List.of());
  }
}
