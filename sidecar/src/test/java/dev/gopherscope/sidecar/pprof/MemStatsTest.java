package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MemStatsTest {

  @Test
  void readsTheBlockThatEndsARealHeapProfileText() throws IOException {
    MemStats stats = MemStats.read(reader(new String(Fixtures.bytes("heap.debug1.txt"), StandardCharsets.UTF_8)));

    assertThat(stats.numGc()).isEqualTo(12);
    assertThat(stats.heapInuse()).isEqualTo(30089216);
    assertThat(stats.nextGc()).isEqualTo(36238362);
    assertThat(stats.pauseNs()).hasSize(256);
    assertThat(Arrays.stream(stats.pauseNs()).limit(12)).allSatisfy(p -> assertThat(p).isPositive());
    assertThat(Arrays.stream(stats.pauseNs()).skip(12)).allSatisfy(p -> assertThat(p).isZero());
  }

  @Test
  void pausesSinceAnEarlierReadingFollowTheRingAcrossItsEnd() throws IOException {
    // Cycle n's pause is n microseconds, at index (n + 255) % 256.
    MemStats before = stats(250);
    MemStats after = stats(260);

    assertThat(after.pausesSince(before)).containsExactly(LongStream.rangeClosed(251, 260).map(n -> n * 1000)
        .toArray());
    assertThat(after.pausesSince(after)).isEmpty();
    assertThat(stats(1000).pausesSince(stats(10))).hasSize(256).startsWith(745_000L).endsWith(1_000_000L);
  }

  @Test
  void refusesTextWithoutTheBlock() {
    assertThatThrownBy(() -> MemStats.read(reader("heap profile: 0: 0 [0: 0] @ heap/1048576\n")))
        .isInstanceOf(PprofFormatException.class).hasMessageContaining("no '# runtime.MemStats' block");
  }

  private static MemStats stats(long numGc) throws IOException {
    long[] ring = new long[256];
    for (long n = Math.max(1, numGc - 255); n <= numGc; n++) {
      ring[(int) ((n + 255) % 256)] = n * 1000;
    }
    String text = "# runtime.MemStats\n# HeapInuse = 1\n# NextGC = 2\n# NumGC = " + numGc + "\n# PauseNs = ["
        + Arrays.stream(ring).mapToObj(Long::toString).collect(Collectors.joining(" ")) + "]\n";
    return MemStats.read(reader(text));
  }

  private static BufferedReader reader(String text) {
    return new BufferedReader(new StringReader(text));
  }
}
