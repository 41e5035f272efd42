package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.pprof.LeakSuspects;
import dev.gopherscope.sidecar.pprof.StackGroupDiff;
import java.util.List;

/**
 * {@code goroutines-diff.json}: what changed from each snapshot to the next, and which groups grew
 * at every step (leak suspects, from three snapshots on). Lists are cut at {@link #MAX_CHANGES}.
 */
public record GoroutineDiffDocument(String pod, int snapshots, long everyMs, List<Step> steps, List<Leak> leakSuspects) {

  static final int MAX_CHANGES = 50;

  /** From snapshot {@code from} to {@code to} (1-based). */
  public record Step(int from, int to, List<Change> grown, List<Change> appeared, List<Change> gone) {

    static Step of(int from, int to, StackGroupDiff diff) {
      return new Step(from, to, changes(diff.grown()), changes(diff.appeared()), changes(diff.gone()));
    }
  }

  public record Change(List<String> stack, long before, long after, long delta) {
  }

  public record Leak(List<String> stack, List<Long> counts, long growth) {

    static List<Leak> all(LeakSuspects suspects) {
      return suspects.suspects().stream().map(s -> new Leak(s.stack(), s.counts(), s.growth())).toList();
    }
  }

  private static List<Change> changes(List<StackGroupDiff.Change> changes) {
    return changes.stream().limit(MAX_CHANGES).map(c -> new Change(c.stack(), c.before(), c.after(), c.delta())).toList();
  }
}
