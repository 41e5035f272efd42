package dev.gopherscope.plugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Two profiles of one kind compared function by function, as {@code go tool pprof -diff_base}
 * would rank them: the functions whose flat value grew, those only the second has, and those only
 * the first has. Absolute values: two CPU profiles compare fairly when their durations match.
 */
record ProfileDiff(List<Change> grew, List<Change> appeared, List<Change> gone) {

  record Change(String function, long before, long after) {
    long delta() {
      return after - before;
    }
  }

  static ProfileDiff between(FlatProfile before, FlatProfile after) {
    if (!before.sampleType().equals(after.sampleType())) {
      throw new UserError("cannot compare a profile of " + before.sampleType() + " with one of " + after.sampleType());
    }
    List<Change> grew = new ArrayList<>();
    List<Change> appeared = new ArrayList<>();
    List<Change> gone = new ArrayList<>();
    for (Map.Entry<String, Long> e : after.byFunction().entrySet()) {
      Long was = before.byFunction().get(e.getKey());
      if (e.getValue() <= 0) {
        continue;
      }
      if (was == null || was == 0) {
        appeared.add(new Change(e.getKey(), 0, e.getValue()));
      } else if (e.getValue() > was) {
        grew.add(new Change(e.getKey(), was, e.getValue()));
      }
    }
    before.byFunction().forEach((function, was) -> {
      if (was > 0 && after.byFunction().getOrDefault(function, 0L) == 0) {
        gone.add(new Change(function, was, 0));
      }
    });
    Comparator<Change> largestFirst = Comparator.comparingLong((Change c) -> -Math.abs(c.delta()))
        .thenComparing(Change::function);
    grew.sort(largestFirst);
    appeared.sort(largestFirst);
    gone.sort(largestFirst);
    return new ProfileDiff(List.copyOf(grew), List.copyOf(appeared), List.copyOf(gone));
  }
}
