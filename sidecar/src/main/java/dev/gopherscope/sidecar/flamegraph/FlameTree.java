package dev.gopherscope.sidecar.flamegraph;

import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile's samples merged into a call tree for one sample type, root (outermost caller) first,
 * and bounded so that any profile renders as a page a browser opens at once: children below
 * {@link #MIN_FRACTION} of the total are merged into one {@value #OTHER} node per parent, stacks are
 * cut at {@link #MAX_DEPTH} frames, and at most {@link #MAX_NODES} nodes are kept, the heaviest
 * ones (a child never outweighs its parent, so what is kept stays a tree).
 *
 * <p>The nodes come out in pre-order with parents before children and siblings heaviest first,
 * which is the order the page lays them out in.
 *
 * <p>Stored by column: per node its name (an index into {@link #names()}), its parent's index
 * (-1 for the root) and its value (the samples at and below it).
 */
public final class FlameTree {

  public static final double MIN_FRACTION = 0.001;
  public static final int MAX_DEPTH = 512;
  public static final int MAX_NODES = 20_000;
  public static final int MAX_NAME_LENGTH = 512;
  static final String ROOT = "all";
  static final String OTHER = "other";
  /** The difference tree's branch of what grew. */
  public static final String GREW = "grew";
  /** The difference tree's branch of what shrank. */
  public static final String SHRANK = "shrank";

  private final List<String> names;
  private final int[] nameOf;
  private final int[] parentOf;
  private final long[] valueOf;

  private FlameTree(List<String> names, int[] nameOf, int[] parentOf, long[] valueOf) {
    this.names = List.copyOf(names);
    this.nameOf = nameOf;
    this.parentOf = parentOf;
    this.valueOf = valueOf;
  }

  /** The distinct names, in order of first use. */
  public List<String> names() {
    return names;
  }

  public int nameIndex(int node) {
    return nameOf[node];
  }

  /** The parent's index, -1 for the root; always smaller than {@code node}. */
  public int parent(int node) {
    return parentOf[node];
  }

  public long value(int node) {
    return valueOf[node];
  }

  public int size() {
    return nameOf.length;
  }

  /** The root's value: the profile's total for the sample type. */
  public long total() {
    return valueOf.length == 0 ? 0 : valueOf[0];
  }

  public String name(int node) {
    return names.get(nameOf[node]);
  }

  /** Builds the tree of {@code profile} for sample type {@code sampleType}; samples with values ≤ 0 add nothing. */
  public static FlameTree of(PprofProfile profile, int sampleType) {
    checkType(profile, sampleType);
    Node root = new Node(ROOT);
    Frames frames = new Frames(profile);
    Samples samples = profile.samples();
    for (int s = 0; s < samples.size(); s++) {
      long value = samples.value(s, sampleType);
      if (value > 0) {
        add(root, root, frames, samples, s, value);
      }
    }
    collapse(root, root.value * MIN_FRACTION);
    return flatten(root);
  }

  /**
   * Builds the tree of a difference of two profiles ({@code ProfileDifference}): under the root,
   * {@value #GREW} holds the stacks whose value rose and {@value #SHRANK} those whose value fell, each
   * by how much, so both show as widths.
   */
  public static FlameTree ofDifference(PprofProfile difference, int sampleType) {
    checkType(difference, sampleType);
    Node root = new Node(ROOT);
    Node grew = root.child(GREW);
    Node shrank = root.child(SHRANK);
    Frames frames = new Frames(difference);
    Samples samples = difference.samples();
    for (int s = 0; s < samples.size(); s++) {
      long value = samples.value(s, sampleType);
      if (value != 0) {
        add(root, value > 0 ? grew : shrank, frames, samples, s, Math.abs(value));
      }
    }
    collapse(root, root.value * MIN_FRACTION);
    return flatten(root);
  }

  private static void checkType(PprofProfile profile, int sampleType) {
    if (sampleType < 0 || sampleType >= profile.sampleTypes().size()) {
      throw new IllegalArgumentException("the profile has no sample type #" + sampleType);
    }
  }

  /** Adds sample {@code s} with {@code value} to the root and, callers first, under {@code under}. */
  private static void add(Node root, Node under, Frames frames, Samples samples, int s, long value) {
    root.value += value;
    Node node = under;
    if (under != root) {
      under.value += value;
    }
    int depth = 0;
    // Location 0 is the leaf; within a location, the last line is the caller of the inlined ones.
    for (int d = samples.locationCount(s) - 1; d >= 0 && depth < MAX_DEPTH; d--) {
      List<String> lines = frames.of(samples.locationId(s, d));
      for (int l = lines.size() - 1; l >= 0 && depth < MAX_DEPTH; l--) {
        node = node.child(lines.get(l));
        node.value += value;
        depth++;
      }
    }
  }

  /** Merges the children lighter than {@code threshold} into one "other" child, all the way down. */
  private static void collapse(Node node, double threshold) {
    long other = 0;
    for (Node child : node.children.values()) {
      if (child.value < threshold) {
        other += child.value;
      } else {
        node.kept.add(child);
        collapse(child, threshold);
      }
    }
    if (other > 0) {
      Node merged = new Node(OTHER);
      merged.value = other;
      node.kept.add(merged);
    }
    node.children = Map.of();
  }

  private static FlameTree flatten(Node root) {
    List<Node> all = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    collect(root, all, depths);
    boolean[] keep = new boolean[all.size()];
    if (all.size() <= MAX_NODES) {
      Arrays.fill(keep, true);
    } else {
      Integer[] order = new Integer[all.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingLong((Integer i) -> -all.get(i).value)
          .thenComparingInt(depths::get));
      for (int i = 0; i < MAX_NODES; i++) {
        keep[order[i]] = true;
      }
    }
    Map<String, Integer> nameIndex = new HashMap<>();
    List<String> names = new ArrayList<>();
    Map<Node, Integer> position = new HashMap<>();
    int kept = 0;
    for (boolean k : keep) {
      kept += k ? 1 : 0;
    }
    int[] nameOf = new int[kept];
    int[] parentOf = new int[kept];
    long[] valueOf = new long[kept];
    int n = 0;
    for (int i = 0; i < all.size(); i++) {
      if (!keep[i]) {
        continue;
      }
      Node node = all.get(i);
      position.put(node, n);
      nameOf[n] = nameIndex.computeIfAbsent(node.name, name -> {
        names.add(name);
        return names.size() - 1;
      });
      parentOf[n] = node.parent == null ? -1 : position.get(node.parent);
      valueOf[n] = node.value;
      n++;
    }
    return new FlameTree(names, nameOf, parentOf, valueOf);
  }

  /** Pre-order, heaviest sibling first, iteratively: a deep stack must not overflow ours. */
  private static void collect(Node root, List<Node> out, List<Integer> depths) {
    List<Node> stack = new ArrayList<>(List.of(root));
    List<Integer> stackDepths = new ArrayList<>(List.of(0));
    while (!stack.isEmpty()) {
      Node node = stack.remove(stack.size() - 1);
      int depth = stackDepths.remove(stackDepths.size() - 1);
      out.add(node);
      depths.add(depth);
      List<Node> children = new ArrayList<>(node.kept);
      children.sort(Comparator.comparingLong((Node c) -> c.value).thenComparing(c -> c.name, Comparator.reverseOrder()));
      for (Node child : children) {
        child.parent = node;
        stack.add(child);
        stackDepths.add(depth + 1);
      }
    }
  }

  /** One function in one calling context while the tree is built. */
  private static final class Node {
    final String name;
    Map<String, Node> children = new HashMap<>();
    /** The children left after {@link #collapse}, "other" included. */
    final List<Node> kept = new ArrayList<>();
    Node parent;
    long value;

    Node(String name) {
      this.name = name;
    }

    Node child(String childName) {
      return children.computeIfAbsent(childName, Node::new);
    }
  }

  /** Each location's frame names, innermost first, resolved once. */
  private static final class Frames {
    private final PprofProfile profile;
    private final Map<Long, Location> locations = new HashMap<>();
    private final Map<Long, Function> functions = new HashMap<>();
    private final Map<Long, List<String>> names = new HashMap<>();

    Frames(PprofProfile profile) {
      this.profile = profile;
      profile.locations().forEach(l -> locations.put(l.id(), l));
      profile.functions().forEach(f -> functions.put(f.id(), f));
    }

    List<String> of(long locationId) {
      return names.computeIfAbsent(locationId, id -> {
        Location location = locations.get(id);
        if (location == null || location.lines().isEmpty()) {
          // Unsymbolized: the address is all there is, as pprof shows it.
          return List.of(location == null ? "?" : "0x" + Long.toHexString(location.address()));
        }
        List<String> lines = new ArrayList<>(location.lines().size());
        for (Line line : location.lines()) {
          Function f = functions.get(line.functionId());
          lines.add(cut(f == null ? "?" : profile.string(f.name())));
        }
        return lines;
      });
    }

    private static String cut(String name) {
      return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH - 1) + "…";
    }
  }
}
