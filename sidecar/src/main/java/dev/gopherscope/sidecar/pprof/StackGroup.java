package dev.gopherscope.sidecar.pprof;

import java.util.List;
import java.util.Map;

/**
 * Goroutines with the same stack.
 *
 * @param stack the signature that defines the group: each frame as {@link StackFrame#signature},
 *     top (innermost) frame first, the whole stack
 * @param topFrames the first frames of the stack, for display
 * @param count goroutines in the group (the sum of the samples' first value)
 * @param labelSets distinct pprof label sets seen in the group, in the order first seen, bounded
 * @param moreLabelSets whether further distinct label sets were seen but not kept
 */
public record StackGroup(List<String> stack, List<StackFrame> topFrames, long count,
    List<Map<String, String>> labelSets, boolean moreLabelSets) {

  public StackGroup {
    stack = List.copyOf(stack);
    topFrames = List.copyOf(topFrames);
    labelSets = List.copyOf(labelSets);
  }
}
