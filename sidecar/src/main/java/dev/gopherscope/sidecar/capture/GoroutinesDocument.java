package dev.gopherscope.sidecar.capture;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gopherscope.sidecar.pprof.StackFrame;
import dev.gopherscope.sidecar.pprof.StackGroup;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code goroutines-<k>.json}: one snapshot's matching goroutines grouped by stack, largest group
 * first. The same shape whichever source took it.
 *
 * @param goroutines goroutines in the process (from Delve, the runtime's list length: an upper bound)
 * @param matchedGoroutines those the filter kept
 * @param groups the groups; {@code otherGroups} more, holding {@code otherCount} goroutines, are left out
 * @param pausedMs how long taking it halted the target (Delve only)
 * @param note what else a reader should know, e.g. that the pause budget cut a scan short
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GoroutinesDocument(String pod, String source, int snapshot, int snapshots, Instant capturedAt,
    String filter, long goroutines, long matchedGoroutines, List<Group> groups, int otherGroups, long otherCount,
    Double pausedMs, String note) {

  /**
   * Goroutines sharing one stack.
   *
   * @param blocked whether they are parked (see {@link BlockedFrames})
   * @param stack every frame's function, innermost first
   * @param frames the innermost frames with file and line
   * @param labelSets distinct pprof label sets seen, bounded; {@code moreLabelSets} when more were seen
   */
  public record Group(long count, boolean blocked, List<String> stack, List<StackFrame> frames,
      List<Map<String, String>> labelSets, boolean moreLabelSets) {

    static Group of(StackGroup group) {
      return new Group(group.count(), BlockedFrames.isBlocked(functions(group)), group.stack(), group.topFrames(),
          group.labelSets(), group.moreLabelSets());
    }
  }

  /** The group's stack as bare function names, whether or not it was grouped with file:line. */
  static List<String> functions(StackGroup group) {
    if (group.topFrames().size() == group.stack().size()) {
      return group.topFrames().stream().map(StackFrame::function).toList();
    }
    return group.stack().stream().map(s -> s.contains(" ") ? s.substring(0, s.indexOf(' ')) : s).toList();
  }
}
