package dev.gopherscope.sidecar.pprof;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two snapshots of the same process's goroutines, stack group by stack
 * group: which grew, which appeared, which are gone. Groups that shrank are left out; a diff is
 * read to find what is piling up.
 *
 * <p>Both snapshots only know their top {@code maxGroups} groups, so a group that sat in one
 * snapshot's "other" bucket shows up here as appeared or gone; give both the same, generous
 * {@link StackGroupOptions#maxGroups()}.
 *
 * @param grown groups in both snapshots with more goroutines after, largest growth first
 * @param appeared groups only in the later snapshot, largest first
 * @param gone groups only in the earlier snapshot, largest first
 */
public record StackGroupDiff(List<Change> grown, List<Change> appeared, List<Change> gone) {

  public StackGroupDiff {
    grown = List.copyOf(grown);
    appeared = List.copyOf(appeared);
    gone = List.copyOf(gone);
  }

  /** One group's count in the two snapshots (0 where absent). */
  public record Change(List<String> stack, List<StackFrame> topFrames, long before, long after) {
    public Change {
      stack = List.copyOf(stack);
      topFrames = List.copyOf(topFrames);
    }

    public long delta() {
      return after - before;
    }
  }

  /**
   * Compares two snapshots grouped with the same signature rule.
   *
   * @throws IllegalArgumentException if one was grouped with file:line and the other not
   */
  public static StackGroupDiff between(StackGroups before, StackGroups after) {
    if (before.options().fileAndLine() != after.options().fileAndLine()) {
      throw new IllegalArgumentException("cannot compare stack groups made with and without file:line");
    }
    Map<List<String>, StackGroup> earlier = new HashMap<>();
    for (StackGroup group : before.groups()) {
      earlier.put(group.stack(), group);
    }
    List<Change> grown = new ArrayList<>();
    List<Change> appeared = new ArrayList<>();
    for (StackGroup group : after.groups()) {
      StackGroup old = earlier.remove(group.stack());
      if (old == null) {
        appeared.add(new Change(group.stack(), group.topFrames(), 0, group.count()));
      } else if (group.count() > old.count()) {
        grown.add(new Change(group.stack(), group.topFrames(), old.count(), group.count()));
      }
    }
    List<Change> gone = new ArrayList<>();
    for (StackGroup group : before.groups()) {
      if (earlier.containsKey(group.stack())) {
        gone.add(new Change(group.stack(), group.topFrames(), group.count(), 0));
      }
    }
    grown.sort(Comparator.comparingLong((Change c) -> -c.delta()));
    appeared.sort(Comparator.comparingLong((Change c) -> -c.after()));
    gone.sort(Comparator.comparingLong((Change c) -> -c.before()));
    return new StackGroupDiff(grown, appeared, gone);
  }
}
