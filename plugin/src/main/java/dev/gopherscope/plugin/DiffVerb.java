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
 * Compares two sessions' goroutines, stack group by stack group, with the sidecar's own grouping
 * and {@link StackGroupDiff}: each session's last goroutine profile of every pod, pods summed.
 */
@Command(name = "diff", sortOptions = false,
    description = "Compare two sessions' goroutine groups: what grew, what appeared, what is gone.")
final class DiffVerb implements Callable<Integer> {

  private static final Pattern SNAPSHOT = Pattern.compile("^goroutines-(\\d+)\\.pb\\.gz$");
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

  @Option(names = "--lines", description = "Group by function and line, not function alone.")
  boolean fileAndLine;

  @Override
  public Integer call() throws IOException {
    StackGroupOptions options = StackGroupOptions.defaults().withMaxGroups(1000).withFileAndLine(fileAndLine);
    DebugSession a = Sessions.require(cluster.client(), cluster.namespace(), before);
    DebugSession b = Sessions.require(cluster.client(), cluster.namespace(), after);
    StackGroups groupsA;
    StackGroups groupsB;
    try (ArtifactStore artifactStore = artifacts.store(cluster.client())) {
      groupsA = groups(a, artifactStore, options);
      groupsB = groups(b, artifactStore, options);
    }
    StackGroupDiff diff = StackGroupDiff.between(groupsA, groupsB);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s -> %s: %d -> %d goroutines (%+d)%n", before, after, groupsA.total(), groupsB.total(),
        groupsB.total() - groupsA.total());
    section(out, "Grew", diff.grown(), c -> String.format(Locale.ROOT, "%+6d  (%d -> %d)", c.delta(), c.before(), c.after()));
    section(out, "Appeared", diff.appeared(), c -> String.format(Locale.ROOT, "%+6d", c.after()));
    section(out, "Gone", diff.gone(), c -> String.format(Locale.ROOT, "%+6d", -c.before()));
    return ExitCodes.OK;
  }

  private void section(PrintWriter out, String title, List<StackGroupDiff.Change> changes,
      java.util.function.Function<StackGroupDiff.Change, String> counts) {
    if (changes.isEmpty()) {
      out.println(title + ": none");
      return;
    }
    out.println(title + ":");
    for (StackGroupDiff.Change c : changes.stream().limit(SHOWN).toList()) {
      out.println("  " + counts.apply(c) + "  " + c.topFrames().stream().limit(5).map(StackFrame::function)
          .collect(Collectors.joining(" <- ")));
    }
    if (changes.size() > SHOWN) {
      out.println("  ... and " + (changes.size() - SHOWN) + " more");
    }
  }

  /** The session's last goroutine profile of each pod, fetched if not here yet, grouped and summed over pods. */
  private StackGroups groups(DebugSession session, ArtifactStore artifactStore, StackGroupOptions options)
      throws IOException {
    Map<String, Artifact> lastPerPod = new LinkedHashMap<>();
    for (Artifact artifact : Summary.nullSafe(session.getStatus() == null ? null : session.getStatus().getArtifacts())) {
      Matcher m = SNAPSHOT.matcher(String.valueOf(artifact.getName()));
      if (m.matches()) {
        lastPerPod.merge(artifact.getPod(), artifact, (x, y) -> snapshot(x) >= snapshot(y) ? x : y);
      }
    }
    String name = session.getMetadata().getName();
    if (lastPerPod.isEmpty()) {
      throw new UserError("debugsession " + name + " has no goroutine profile (goroutines-N.pb.gz): diff compares "
          + "goroutines captures read from pprof (--pprof-port)");
    }
    Downloads downloads = new Downloads(artifactStore, artifacts.sessionDir(name)).fetchAll(new ArrayList<>(lastPerPod.values()));
    if (!downloads.problems().isEmpty()) {
      throw new UserError("cannot fetch " + name + "'s goroutine profiles: " + String.join("; ", downloads.problems()));
    }
    List<StackGroups> perPod = new ArrayList<>();
    for (Downloads.Fetched f : downloads.fetched()) {
      try (InputStream in = Files.newInputStream(f.file())) {
        perPod.add(StackGroups.of(new PprofDecoder().decode(in), options));
      }
    }
    return sum(perPod, options);
  }

  private static int snapshot(Artifact artifact) {
    Matcher m = SNAPSHOT.matcher(artifact.getName());
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
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
