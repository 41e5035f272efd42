package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.pprof.GoroutineDump;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.StackFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the ids of the goroutines a session's filter keeps. An execution trace names goroutines by
 * id and carries no pprof labels; the goroutine profile carries labels and no ids; the goroutine
 * dump ({@code debug=2}) carries ids and no labels. Taken one right after the other, the profile and
 * the dump describe the same goroutines, and their stacks join them: a goroutine of the dump belongs
 * to the filter when the profile's stacks that look most like its own all carry the filter's labels.
 *
 * <p>Stacks are compared from the outermost frame in, by function: a goroutine that was running
 * moved between the two reads, so its innermost frames may differ, as long as they are few ({@link
 * #RUNNING_SLACK}) and none is the program's own code (it moved inside the runtime or a library, not
 * to another place of the program: a request that reached another handler is another goroutine).
 * When the most alike stacks carry labels inside and outside the filter (two requests of two traces
 * in the same handler, waiting at the same line), the goroutine is ambiguous and left out: it is
 * counted, never guessed.
 */
record TraceGoroutines(Set<Long> ids, int ambiguous) {

  /**
   * Innermost frames that may differ between the profile and the dump for a goroutine that ran in
   * between. Standard-library code nests deep: the demo's CPU burner, caught inside
   * crypto/sha256 in one read and time.Now in the other, differed by more than 4 frames and was
   * missed (a CI run); the longest common prefix still decides between candidates.
   */
  static final int RUNNING_SLACK = 12;
  private static final int MAX_DEPTH = 64;

  static TraceGoroutines find(PprofProfile profile, List<GoroutineDump.Goroutine> dump, LabelMatcher filter) {
    ProfileFrames frames = new ProfileFrames(profile);
    List<LabelledStack> stacks = new ArrayList<>();
    for (int s = 0; s < profile.samples().size(); s++) {
      List<String> outermostFirst = new ArrayList<>(frames.stack(s, MAX_DEPTH).stream().map(StackFrame::function)
          .toList());
      java.util.Collections.reverse(outermostFirst);
      stacks.add(new LabelledStack(outermostFirst, filter.matches(frames.labels(s))));
    }
    // Goroutines parked at the same place share a stack: decide once per distinct stack.
    Map<List<String>, Verdict> verdicts = new HashMap<>();
    Set<Long> ids = new TreeSet<>();
    int ambiguous = 0;
    for (GoroutineDump.Goroutine g : dump) {
      Verdict verdict = verdicts.computeIfAbsent(g.functions(), f -> verdict(f, stacks));
      if (verdict == Verdict.IN) {
        ids.add(g.id());
      } else if (verdict == Verdict.AMBIGUOUS) {
        ambiguous++;
      }
    }
    return new TraceGoroutines(ids, ambiguous);
  }

  private enum Verdict { IN, OUT, AMBIGUOUS }

  private record LabelledStack(List<String> outermostFirst, boolean inFilter) {
  }

  private static Verdict verdict(List<String> innermostFirst, List<LabelledStack> stacks) {
    List<String> functions = new ArrayList<>(innermostFirst.subList(0, Math.min(MAX_DEPTH, innermostFirst.size())));
    java.util.Collections.reverse(functions);
    int best = 0;
    boolean in = false;
    boolean out = false;
    for (LabelledStack stack : stacks) {
      int common = commonPrefix(functions, stack.outermostFirst());
      if (common == 0 || !onlyMovedWithin(functions, common) || !onlyMovedWithin(stack.outermostFirst(), common)) {
        continue;
      }
      if (common > best) {
        best = common;
        in = false;
        out = false;
      }
      if (common == best) {
        in |= stack.inFilter();
        out |= !stack.inFilter();
      }
    }
    return in && out ? Verdict.AMBIGUOUS : in ? Verdict.IN : Verdict.OUT;
  }

  /** Whether the frames past the common part are few and none of them the program's own. */
  private static boolean onlyMovedWithin(List<String> outermostFirst, int common) {
    List<String> moved = outermostFirst.subList(common, outermostFirst.size());
    return moved.size() <= RUNNING_SLACK && moved.stream().noneMatch(OwnFrames::isOwnCode);
  }

  private static int commonPrefix(List<String> a, List<String> b) {
    int n = 0;
    while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
      n++;
    }
    return n;
  }
}
