package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.capture.delve.CapturedGoroutine;
import dev.gopherscope.sidecar.pprof.StackFrame;
import dev.gopherscope.sidecar.pprof.StackGroup;
import dev.gopherscope.sidecar.pprof.StackGroupOptions;
import dev.gopherscope.sidecar.pprof.StackGroups;
import dev.gopherscope.sidecar.redact.Redactor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Goroutines Delve listed, grouped by stack exactly as {@link StackGroups} groups a goroutine
 * profile (function names, innermost first), so that snapshots from either source read, diff and
 * reveal leaks the same way. A goroutine whose stack the pause budget left unread is grouped by
 * the one frame Delve always reports, where it is now.
 */
final class DelveStackGroups {

  private DelveStackGroups() {
  }

  static StackGroups of(List<CapturedGoroutine> goroutines, Redactor redactor, StackGroupOptions options) {
    Map<List<String>, Group> groups = new LinkedHashMap<>();
    for (CapturedGoroutine g : goroutines) {
      List<StackFrame> frames = g.stack().isEmpty() ? List.of(g.current()) : g.stack();
      List<String> stack = frames.stream().map(f -> f.signature(options.fileAndLine())).toList();
      Group group = groups.computeIfAbsent(stack, k -> new Group(stack, frames));
      group.count++;
      Map<String, String> labels = new TreeMap<>(redactor.labels(g.labels()));
      if (!labels.isEmpty() && !group.labelSets.contains(labels)) {
        if (group.labelSets.size() < options.maxLabelSets()) {
          group.labelSets.add(labels);
        } else {
          group.more = true;
        }
      }
    }
    List<Group> sorted = new ArrayList<>(groups.values());
    sorted.sort(Comparator.comparingLong((Group g) -> -g.count).thenComparing(g -> String.join("\n", g.stack)));
    List<StackGroup> kept = new ArrayList<>();
    long otherCount = 0;
    for (int i = 0; i < sorted.size(); i++) {
      Group g = sorted.get(i);
      if (i < options.maxGroups()) {
        kept.add(new StackGroup(g.stack, g.frames.subList(0, Math.min(options.topFrames(), g.frames.size())), g.count,
            g.labelSets, g.more));
      } else {
        otherCount += g.count;
      }
    }
    return new StackGroups(kept, goroutines.size(), Math.max(0, sorted.size() - options.maxGroups()), otherCount,
        options);
  }

  private static final class Group {
    final List<String> stack;
    final List<StackFrame> frames;
    final List<Map<String, String>> labelSets = new ArrayList<>();
    long count;
    boolean more;

    Group(List<String> stack, List<StackFrame> frames) {
      this.stack = stack;
      this.frames = frames;
    }
  }
}
