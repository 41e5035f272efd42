package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PageSizerTest {

  @Test
  void startsSmallThenSizesPagesToTheTimeLeft() {
    PageSizer sizer = new PageSizer(64, 10_000);

    assertThat(sizer.next(Duration.ofSeconds(5))).isEqualTo(64);
    // 64 goroutines in 4.5 ms: half the cheapest page (2.25 ms) is taken as fixed, ~35 µs each.
    sizer.observe(64, Duration.ofMillis(4).plusNanos(500_000));
    assertThat(sizer.next(Duration.ofSeconds(5))).as("at most fourfold growth").isEqualTo(256);
    assertThat(sizer.next(Duration.ofMillis(20))).as("60%% of 20 ms, less the fixed part, at ~35 µs")
        .isBetween(250, 300);
  }

  @Test
  void stopsWhenNoWorthwhilePageFits() {
    PageSizer sizer = new PageSizer(64, 10_000);
    sizer.next(Duration.ofSeconds(1));
    sizer.observe(64, Duration.ofMillis(4));

    assertThat(sizer.next(Duration.ofMillis(4))).isZero();
    assertThat(sizer.next(Duration.ZERO)).isZero();
  }

  @Test
  void aSlowPageShrinksTheNextOne() {
    PageSizer sizer = new PageSizer(64, 10_000);
    sizer.next(Duration.ofSeconds(1));
    sizer.observe(64, Duration.ofMillis(3));
    int before = sizer.next(Duration.ofMillis(40));
    sizer.observe(before, Duration.ofMillis(60)); // dlv paused for its own GC, say

    assertThat(sizer.next(Duration.ofMillis(40))).isLessThan(before);
  }

  @Test
  void neverExceedsTheMaximum() {
    PageSizer sizer = new PageSizer(64, 100);
    sizer.next(Duration.ofSeconds(10));
    sizer.observe(64, Duration.ofMillis(1));

    assertThat(sizer.next(Duration.ofSeconds(10))).isEqualTo(100);
  }

  @Test
  void rejectsSillyBounds() {
    assertThatThrownBy(() -> new PageSizer(4, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PageSizer(64, 32)).isInstanceOf(IllegalArgumentException.class);
  }
}
