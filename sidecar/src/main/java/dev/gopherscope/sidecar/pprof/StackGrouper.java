package dev.gopherscope.sidecar.pprof;

import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Does the grouping for {@link StackGroups#of}. Samples are first bucketed by their location ids,
 * which costs no string work, and each distinct location sequence is then turned into its
 * signature once; several sequences can share a signature (same functions, different addresses).
 */
final class StackGrouper {

  private static final Comparator<Group> BY_COUNT_THEN_STACK = Comparator
      .comparingLong((Group g) -> -g.count)
      .thenComparing(g -> g.stack, StackGrouper::compareStacks);

  private final PprofProfile profile;
  private final StackGroupOptions options;
  private final IdIndex locationIndex;
  private final IdIndex functionIndex;
  private final List<List<StackFrame>> framesByLocation;

  StackGrouper(PprofProfile profile, StackGroupOptions options) {
    this.profile = profile;
    this.options = options;
    this.locationIndex = IdIndex.of(profile.locations(), "location");
    this.functionIndex = IdIndex.of(profile.functions(), "function");
    this.framesByLocation = new ArrayList<>(Collections.nCopies(profile.locations().size(), null));
  }

  StackGroups group() {
    Samples samples = profile.samples();
    Map<LocationSequence, Group> bySequence = new HashMap<>();
    Map<List<String>, Group> bySignature = new HashMap<>();
    long total = 0;
    for (int s = 0; s < samples.size(); s++) {
      Group group = bySequence.computeIfAbsent(new LocationSequence(samples.locationIds(s)), sequence -> {
        List<StackFrame> frames = frames(sequence.ids);
        List<String> stack = frames.stream().map(f -> f.signature(options.fileAndLine())).toList();
        return bySignature.computeIfAbsent(stack, k -> new Group(stack, frames));
      });
      long count = samples.valueCount(s) > 0 ? samples.value(s, 0) : 0;
      group.count += count;
      total += count;
      addLabelSet(group, s);
    }

    List<Group> sorted = new ArrayList<>(bySignature.values());
    sorted.sort(BY_COUNT_THEN_STACK);
    List<StackGroup> kept = new ArrayList<>();
    long otherCount = 0;
    for (int i = 0; i < sorted.size(); i++) {
      Group g = sorted.get(i);
      if (i < options.maxGroups()) {
        kept.add(new StackGroup(g.stack, g.frames.subList(0, Math.min(options.topFrames(), g.frames.size())),
            g.count, new ArrayList<>(g.labelSets.values()), g.moreLabelSets));
      } else {
        otherCount += g.count;
      }
    }
    return new StackGroups(kept, total, Math.max(0, sorted.size() - options.maxGroups()), otherCount, options);
  }

  private void addLabelSet(Group group, int s) {
    Samples samples = profile.samples();
    if (samples.labelCount(s) == 0) {
      return;
    }
    LabelSetKey key = LabelSetKey.of(samples, s);
    if (key.pairs.length == 0 || group.labelSets.containsKey(key)) {
      return;
    }
    if (group.labelSets.size() >= options.maxLabelSets()) {
      group.moreLabelSets = true;
      return;
    }
    // Sorted by key so that equal sets print alike; pprof allows a key twice, Go's runtime does not.
    Map<String, String> labels = new TreeMap<>();
    for (int i = 0; i < key.pairs.length; i += 2) {
      labels.merge(profile.string(key.pairs[i]), profile.string(key.pairs[i + 1]), (a, b) -> a + "," + b);
    }
    group.labelSets.put(key, labels);
  }

  private List<StackFrame> frames(long[] locationIds) {
    List<StackFrame> frames = new ArrayList<>(locationIds.length + 4);
    for (long id : locationIds) {
      frames.addAll(framesOf(locationIndex.positionOf(id)));
    }
    return frames;
  }

  /** A location's frames, innermost first: one per line, several where calls were inlined. */
  private List<StackFrame> framesOf(int position) {
    List<StackFrame> frames = framesByLocation.get(position);
    if (frames == null) {
      Location location = profile.locations().get(position);
      if (location.lines().isEmpty()) {
        // Unsymbolized: the address is all there is, and pprof shows it the same way.
        frames = List.of(new StackFrame("0x" + Long.toHexString(location.address()), "", 0));
      } else {
        List<StackFrame> lines = new ArrayList<>(location.lines().size());
        for (Line line : location.lines()) {
          Function f = profile.functions().get(functionIndex.positionOf(line.functionId()));
          lines.add(new StackFrame(profile.string(f.name()), profile.string(f.filename()), line.line()));
        }
        frames = List.copyOf(lines);
      }
      framesByLocation.set(position, frames);
    }
    return frames;
  }

  private static int compareStacks(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static final class Group {
    final List<String> stack;
    final List<StackFrame> frames;
    final Map<LabelSetKey, Map<String, String>> labelSets = new LinkedHashMap<>();
    long count;
    boolean moreLabelSets;

    Group(List<String> stack, List<StackFrame> frames) {
      this.stack = stack;
      this.frames = frames;
    }
  }

  private static final class LocationSequence {
    final long[] ids;
    final int hash;

    LocationSequence(long[] ids) {
      this.ids = ids;
      this.hash = Arrays.hashCode(ids);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LocationSequence other && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** A sample's string labels as sorted (key, value) string index pairs: compared without text. */
  private static final class LabelSetKey {
    final int[] pairs;
    final int hash;

    private LabelSetKey(int[] pairs) {
      this.pairs = pairs;
      this.hash = Arrays.hashCode(pairs);
    }

    static LabelSetKey of(Samples samples, int s) {
      long[] packed = new long[samples.labelCount(s)];
      int n = 0;
      for (int j = 0; j < samples.labelCount(s); j++) {
        if (samples.labelStr(s, j) != 0) {
          packed[n++] = (long) samples.labelKey(s, j) << 32 | samples.labelStr(s, j);
        }
      }
      Arrays.sort(packed, 0, n);
      int[] pairs = new int[2 * n];
      for (int i = 0; i < n; i++) {
        pairs[2 * i] = (int) (packed[i] >>> 32);
        pairs[2 * i + 1] = (int) packed[i];
      }
      return new LabelSetKey(pairs);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LabelSetKey other && Arrays.equals(pairs, other.pairs);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
