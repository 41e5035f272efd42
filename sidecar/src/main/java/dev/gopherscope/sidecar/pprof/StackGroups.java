package dev.gopherscope.sidecar.pprof;

import java.util.List;

/**
 * A goroutine profile grouped by stack: which stacks the goroutines are in and how many are in
 * each, largest group first. Thousands of goroutines usually share a handful of stacks, so the
 * groups are what a person reads, what a status reports and what {@link StackGroupDiff} and
 * {@link LeakSuspects} compare across snapshots.
 *
 * @param groups at most {@code options.maxGroups()} groups, by count descending, then by stack
 * @param total goroutines in the profile, including the "other" bucket
 * @param otherGroups groups beyond {@code maxGroups}, summed into {@code otherCount}
 * @param otherCount goroutines in those groups
 * @param options how the groups were made
 */
public record StackGroups(List<StackGroup> groups, long total, int otherGroups, long otherCount,
    StackGroupOptions options) {

  public StackGroups {
    groups = List.copyOf(groups);
  }

  /** Groups a goroutine profile's samples by stack. */
  public static StackGroups of(PprofProfile goroutineProfile, StackGroupOptions options) {
    return new StackGrouper(goroutineProfile, options).group();
  }
}
