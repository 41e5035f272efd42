package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.pprof.LeakSuspects.Suspect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeakSuspectsTest {

  /** A snapshot with {@code counts} goroutines per function ({@code 0} leaves the group out). */
  private static StackGroups snapshot(Map<String, Long> counts) {
    ProfileBuilder b = ProfileBuilder.goroutines();
    counts.forEach((function, count) -> {
      if (count > 0) {
        b.goroutine(count, Map.of(), "runtime.gopark", function);
      }
    });
    return StackGroups.of(b.build(), StackGroupOptions.defaults());
  }

  private static List<StackGroups> series(long[] leak, long[] pool, long[] spiky, long[] late) {
    List<StackGroups> snapshots = new ArrayList<>();
    for (int i = 0; i < leak.length; i++) {
      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put("main.leakedWorker", leak[i]);
      counts.put("main.poolWorker", pool[i]);
      counts.put("main.handle", spiky[i]);
      counts.put("main.lateLeak", late[i]);
      snapshots.add(snapshot(counts));
    }
    return snapshots;
  }

  @Test
  void groupsThatGrewAtEveryStepAreSuspects() {
    List<StackGroups> snapshots = series(
        new long[] {10, 20, 35, 50},
        new long[] {8, 8, 8, 8},
        new long[] {1, 9, 4, 12},
        new long[] {0, 1, 2, 3});

    LeakSuspects leaks = LeakSuspects.find(snapshots, 10);

    assertThat(leaks.suspects()).extracting(s -> s.stack().get(1))
        .containsExactly("main.leakedWorker", "main.lateLeak");
    Suspect leak = leaks.suspects().get(0);
    assertThat(leak.counts()).containsExactly(10L, 20L, 35L, 50L);
    assertThat(leak.growth()).isEqualTo(40);
    assertThat(leak.topFrames()).extracting(StackFrame::function).containsExactly("runtime.gopark", "main.leakedWorker");
    assertThat(leaks.suspects().get(1).counts()).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void aFlatStepClearsTheSuspicion() {
    List<StackGroups> snapshots = series(
        new long[] {10, 20, 20},
        new long[] {1, 1, 1},
        new long[] {1, 1, 1},
        new long[] {0, 0, 0});

    assertThat(LeakSuspects.find(snapshots, 10).suspects()).isEmpty();
  }

  @Test
  void twoSnapshotsShowNoTrend() {
    List<StackGroups> snapshots = series(new long[] {1, 100}, new long[] {1, 1}, new long[] {1, 1}, new long[] {0, 0});

    assertThat(LeakSuspects.find(snapshots, 10).suspects()).isEmpty();
    assertThat(LeakSuspects.find(snapshots.subList(0, 1), 10).suspects()).isEmpty();
  }

  @Test
  void threeSnapshotsAreEnoughAndTheReportIsBounded() {
    List<StackGroups> snapshots = series(
        new long[] {1, 2, 3},
        new long[] {1, 5, 9},
        new long[] {2, 3, 4},
        new long[] {0, 10, 20});

    LeakSuspects leaks = LeakSuspects.find(snapshots, 2);

    assertThat(leaks.suspects()).extracting(Suspect::growth).containsExactly(20L, 8L);
  }
}
