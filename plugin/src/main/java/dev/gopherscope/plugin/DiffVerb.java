package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.StackFrame;
import dev.gopherscope.sidecar.pprof.StackGroup;
import dev.gopherscope.sidecar.pprof.StackGroupDiff;
import dev.gopherscope.sidecar.pprof.StackGroupOptions;
import dev.gopherscope.sidecar.pprof.StackGroups;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Compares two sessions: their goroutines stack group by stack group, with the sidecar's own
 * grouping and {@link StackGroupDiff}, or one kind of profile function by function
 * ({@link ProfileDiff}). Each session's last file of that kind from every pod, pods summed.
 */
@Command(name = "diff", sortOptions = false,
    description = {"Compare two sessions: goroutine groups (what grew, what appeared, what is gone) or a profile's "
        + "functions (cpu, heap, allocs, block, mutex: where more time or memory went).",
        "By default the first kind both sessions captured, in the order of --profile's list."})
final class DiffVerb implements Callable<Integer> {

  /** What diff compares, in the order it picks the first both sessions have. */
  static final List<String> KINDS = List.of("goroutines", "cpu", "heap", "allocs", "block", "mutex");
  /** {@code kind.pb.gz} or the k-th of several, {@code kind-k.pb.gz} (goroutine snapshots, heap over time). */
  private static final Pattern PROFILE = Pattern.compile("^([a-z]+)(?:-(\\d+))?\\.pb\\.gz$");
  private static final int SHOWN = 10;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BEFORE")
  String before;

  @Parameters(index = "1", paramLabel = "AFTER")
  String after;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  ArtifactOptions artifacts;

  @Option(names = "--profile", paramLabel = "KIND", description = "What to compare: goroutines, cpu, heap, allocs, "
      + "block or mutex.")
  String kind;

  @Option(names = "--lines", description = "Group goroutines by function and line, not function alone.")
  boolean fileAndLine;

  @Override
  public Integer call() throws IOException {
    if (kind != null && !KINDS.contains(kind)) {
      throw new UserError("--profile is one of " + String.join(", ", KINDS) + ", not " + kind);
    }
    DebugSession a = Sessions.require(cluster.client(), cluster.namespace(), before);
    DebugSession b = Sessions.require(cluster.client(), cluster.namespace(), after);
    Map<String, List<Artifact>> kindsA = lastOfEachKind(a);
    Map<String, List<Artifact>> kindsB = lastOfEachKind(b);
    String compared = kind != null ? kind : KINDS.stream().filter(k -> kindsA.containsKey(k) && kindsB.containsKey(k))
        .findFirst().orElseThrow(() -> new UserError("nothing to compare: " + captured(before, kindsA) + "; "
            + captured(after, kindsB) + " (diff compares " + String.join(", ", KINDS) + ")"));
    for (Map.Entry<String, Map<String, List<Artifact>>> session : List.of(Map.entry(before, kindsA),
        Map.entry(after, kindsB))) {
      if (!session.getValue().containsKey(compared)) {
        throw new UserError("debugsession " + session.getKey() + " has no " + compared + " profile ("
            + (compared.equals("goroutines") ? "goroutines-N.pb.gz, written by a goroutines capture read from pprof"
            : compared + ".pb.gz") + "); " + captured(session.getKey(), session.getValue()));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ArtifactStore artifactStore = artifacts.store(cluster.client())) {
      List<Path> filesA = fetch(before, kindsA.get(compared), artifactStore);
      List<Path> filesB = fetch(after, kindsB.get(compared), artifactStore);
      if (compared.equals("goroutines")) {
        printGoroutines(out, filesA, filesB);
      } else {
        printProfile(out, compared, filesA, filesB);
      }
    }
    return ExitCodes.OK;
  }

  private void printGoroutines(PrintWriter out, List<Path> filesA, List<Path> filesB) throws IOException {
    StackGroupOptions options = StackGroupOptions.defaults().withMaxGroups(1000).withFileAndLine(fileAndLine);
    StackGroups groupsA = groups(filesA, options);
    StackGroups groupsB = groups(filesB, options);
    StackGroupDiff diff = StackGroupDiff.between(groupsA, groupsB);
    out.printf(Locale.ROOT, "%s -> %s: %d -> %d goroutines (%+d)%n", before, after, groupsA.total(), groupsB.total(),
        groupsB.total() - groupsA.total());
    section(out, "Grew", diff.grown(), c -> String.format(Locale.ROOT, "%+6d  (%d -> %d)", c.delta(), c.before(), c.after()),
        c -> frames(c.topFrames()));
    section(out, "Appeared", diff.appeared(), c -> String.format(Locale.ROOT, "%+6d", c.after()), c -> frames(c.topFrames()));
    section(out, "Gone", diff.gone(), c -> String.format(Locale.ROOT, "%+6d", -c.before()), c -> frames(c.topFrames()));
  }

  private void printProfile(PrintWriter out, String compared, List<Path> filesA, List<Path> filesB) throws IOException {
    FlatProfile a = flat(filesA);
    FlatProfile b = flat(filesB);
    ProfileDiff diff = ProfileDiff.between(a, b);
    out.printf(Locale.ROOT, "%s -> %s: %s %s, %s -> %s (%s)%n", before, after, compared, a.sampleType(),
        a.format(a.total()), b.format(b.total()), signed(b, b.total() - a.total()));
    section(out, "Grew", diff.grew(), c -> String.format(Locale.ROOT, "%10s  (%s -> %s)", signed(b, c.delta()),
        b.format(c.before()), b.format(c.after())), ProfileDiff.Change::function);
    section(out, "Appeared", diff.appeared(), c -> String.format(Locale.ROOT, "%10s", signed(b, c.after())),
        ProfileDiff.Change::function);
    section(out, "Gone", diff.gone(), c -> String.format(Locale.ROOT, "%10s", signed(b, -c.before())),
        ProfileDiff.Change::function);
  }

  private static String signed(FlatProfile profile, long value) {
    return (value >= 0 ? "+" : "") + profile.format(value);
  }

  private static String frames(List<StackFrame> frames) {
    return frames.stream().limit(5).map(StackFrame::function).collect(Collectors.joining(" <- "));
  }

  private static String captured(String session, Map<String, List<Artifact>> kinds) {
    return session + " has " + (kinds.isEmpty() ? "no profile" : String.join(", ", kinds.keySet()));
  }

  /** For each kind of profile the session holds, in KINDS order, its last file of each pod. */
  static Map<String, List<Artifact>> lastOfEachKind(DebugSession session) {
    Map<String, Map<String, Artifact>> byKindAndPod = new LinkedHashMap<>();
    KINDS.forEach(k -> byKindAndPod.put(k, new LinkedHashMap<>()));
    for (Artifact artifact : Summary.nullSafe(session.getStatus() == null ? null : session.getStatus().getArtifacts())) {
      Matcher m = PROFILE.matcher(String.valueOf(artifact.getName()));
      if (m.matches() && byKindAndPod.containsKey(m.group(1))) {
        byKindAndPod.get(m.group(1)).merge(String.valueOf(artifact.getPod()), artifact,
            (x, y) -> ordinal(x) >= ordinal(y) ? x : y);
      }
    }
    Map<String, List<Artifact>> kinds = new LinkedHashMap<>();
    byKindAndPod.forEach((k, perPod) -> {
      if (!perPod.isEmpty()) {
        kinds.put(k, List.copyOf(perPod.values()));
      }
    });
    return kinds;
  }

  private static int ordinal(Artifact artifact) {
    Matcher m = PROFILE.matcher(artifact.getName());
    return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 0;
  }

  private List<Path> fetch(String name, List<Artifact> files, ArtifactStore artifactStore) {
    Downloads downloads = new Downloads(artifactStore, artifacts.sessionDir(name)).fetchAll(new ArrayList<>(files));
    if (!downloads.problems().isEmpty()) {
      throw new UserError("cannot fetch " + name + "'s profiles: " + String.join("; ", downloads.problems()));
    }
    return downloads.fetched().stream().map(Downloads.Fetched::file).toList();
  }

  private static FlatProfile flat(List<Path> files) throws IOException {
    List<FlatProfile> perPod = new ArrayList<>();
    for (Path file : files) {
      perPod.add(FlatProfile.read(file));
    }
    return FlatProfile.sum(perPod);
  }

  private static StackGroups groups(List<Path> files, StackGroupOptions options) throws IOException {
    List<StackGroups> perPod = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        perPod.add(StackGroups.of(new PprofDecoder().decode(in), options));
      }
    }
    return sum(perPod, options);
  }

  private static <C> void section(PrintWriter out, String title, List<C> changes,
    java.util.function.Function<C, String> counts, java.util.function.Function<C, String> what) {
    if (changes.isEmpty()) {
      out.println(title + ": none");
      return;
    }
    out.println(title + ":");
    for (C c : changes.stream().limit(SHOWN).toList()) {
      out.println("  " + counts.apply(c) + "  " + what.apply(c));
    }
    if (changes.size() > SHOWN) {
      out.println("  ... and " + (changes.size() - SHOWN) + " more");
    }
  }

  static StackGroups sum(List<StackGroups> perPod, StackGroupOptions options) {
    if (perPod.size() == 1) {
      return perPod.get(0);
    }
    Map<List<String>, StackGroup> byStack = new LinkedHashMap<>();
    long total = 0;
    int otherGroups = 0;
    long otherCount = 0;
    for (StackGroups groups : perPod) {
      total += groups.total();
      otherGroups += groups.otherGroups();
      otherCount += groups.otherCount();
      for (StackGroup g : groups.groups()) {
        byStack.merge(g.stack(), g, (x, y) -> new StackGroup(x.stack(), x.topFrames(), x.count() + y.count(),
            x.labelSets(), x.moreLabelSets() || y.moreLabelSets()));
      }
    }
    List<StackGroup> merged = new ArrayList<>(byStack.values());
    merged.sort(Comparator.comparingLong((StackGroup g) -> -g.count()));
    return new StackGroups(merged, total, otherGroups, otherCount, options);
  }
}
