package dev.gopherscope.sidecar.pprof;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stack groups that look like goroutine leaks: their count went up from every snapshot to the
 * next, across at least three snapshots. Two snapshots cannot tell a leak from a burst of load;
 * a pool or a steady load goes up and down or stays flat, while leaked goroutines only ever
 * accumulate. A group absent from a snapshot counts 0 there, so a leak that began after the
 * first snapshot is still caught.
 *
 * @param suspects by total growth (last count minus first), largest first
 */
public record LeakSuspects(List<Suspect> suspects) {

  /** The minimum snapshots for a trend. */
  public static final int MIN_SNAPSHOTS = 3;

  public LeakSuspects {
    suspects = List.copyOf(suspects);
  }

  /** A group and its count in each snapshot, oldest first. */
  public record Suspect(List<String> stack, List<StackFrame> topFrames, List<Long> counts) {
    public Suspect {
      stack = List.copyOf(stack);
      topFrames = List.copyOf(topFrames);
      counts = List.copyOf(counts);
    }

    public long growth() {
      return counts.get(counts.size() - 1) - counts.get(0);
    }
  }

  /**
   * Finds the groups that grew strictly at every step of {@code snapshots} (oldest first). Fewer
   * than {@link #MIN_SNAPSHOTS} snapshots show no trend, and give no suspects.
   *
   * @param maxSuspects how many to report at most
   */
  public static LeakSuspects find(List<StackGroups> snapshots, int maxSuspects) {
    if (snapshots.size() < MIN_SNAPSHOTS) {
      return new LeakSuspects(List.of());
    }
    List<Map<List<String>, Long>> countsBySnapshot = new ArrayList<>();
    for (StackGroups snapshot : snapshots) {
      Map<List<String>, Long> counts = new HashMap<>();
      for (StackGroup group : snapshot.groups()) {
        counts.put(group.stack(), group.count());
      }
      countsBySnapshot.add(counts);
    }
    List<Suspect> suspects = new ArrayList<>();
    for (StackGroup group : snapshots.get(snapshots.size() - 1).groups()) {
      List<Long> series = new ArrayList<>(snapshots.size());
      for (Map<List<String>, Long> counts : countsBySnapshot) {
        series.add(counts.getOrDefault(group.stack(), 0L));
      }
      if (strictlyIncreasing(series)) {
        suspects.add(new Suspect(group.stack(), group.topFrames(), series));
      }
    }
    suspects.sort(Comparator.comparingLong((Suspect s) -> -s.growth()));
    return new LeakSuspects(suspects.subList(0, Math.min(maxSuspects, suspects.size())));
  }

  private static boolean strictlyIncreasing(List<Long> series) {
    for (int i = 1; i < series.size(); i++) {
      if (series.get(i) <= series.get(i - 1)) {
        return false;
      }
    }
    return true;
  }
}
