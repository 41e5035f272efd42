package dev.gopherscope.sidecar.pprof;

/**
 * How {@link StackGroups} groups a goroutine profile.
 *
 * @param fileAndLine whether a frame is {@code function file:line} rather than just the function:
 *     finer groups, e.g. two goroutines parked at different lines of the same function
 * @param topFrames frames kept per group for display; the grouping itself uses the whole stack
 * @param maxGroups groups reported; the rest are summed into an "other" bucket
 * @param maxLabelSets distinct label sets kept per group
 */
public record StackGroupOptions(boolean fileAndLine, int topFrames, int maxGroups, int maxLabelSets) {

  public StackGroupOptions {
    if (topFrames < 1 || maxGroups < 1 || maxLabelSets < 0) {
      throw new IllegalArgumentException("topFrames and maxGroups must be positive and maxLabelSets "
          + "non-negative, got " + topFrames + ", " + maxGroups + ", " + maxLabelSets);
    }
  }

  /** Function names only, 10 frames, 100 groups, 5 label sets: small enough for a status. */
  public static StackGroupOptions defaults() {
    return new StackGroupOptions(false, 10, 100, 5);
  }

  public StackGroupOptions withFileAndLine(boolean fileAndLine) {
    return new StackGroupOptions(fileAndLine, topFrames, maxGroups, maxLabelSets);
  }

  public StackGroupOptions withMaxGroups(int groups) {
    return new StackGroupOptions(fileAndLine, topFrames, groups, maxLabelSets);
  }
}
