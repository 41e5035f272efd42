package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.SessionResults;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ls", aliases = "list", sortOptions = false, description = "List sessions with what they found.")
final class LsVerb implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster;

  @Option(names = {"-A", "--all-namespaces"}, description = "Sessions in every namespace.")
  boolean allNamespaces;

  @Override
  public Integer call() {
    var sessions = cluster.client().resources(DebugSession.class);
    List<DebugSession> items = new ArrayList<>(allNamespaces ? sessions.inAnyNamespace().list().getItems()
        : sessions.inNamespace(cluster.namespace()).list().getItems());
    items.sort(Comparator.comparing((DebugSession s) -> s.getMetadata().getCreationTimestamp()).reversed());
    PrintWriter out = spec.commandLine().getOut();
    if (items.isEmpty()) {
      out.println("no debugsessions in " + (allNamespaces ? "any namespace" : "namespace " + cluster.namespace()));
      return ExitCodes.OK;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(allNamespaces ? new String[] {"NAMESPACE", "NAME", "PHASE", "TARGETS", "CAPTURES", "PAUSED", "AGE", "FOUND"}
        : new String[] {"NAME", "PHASE", "TARGETS", "CAPTURES", "PAUSED", "AGE", "FOUND"});
    for (DebugSession s : items) {
      DebugSessionStatus st = s.getStatus() == null ? new DebugSessionStatus() : s.getStatus();
      List<String> row = new ArrayList<>();
      if (allNamespaces) {
        row.add(s.getMetadata().getNamespace());
      }
      row.add(s.getMetadata().getName());
      row.add(st.getPhase() == null ? "Pending" : st.getPhase().name());
      row.add(dash(st.getTargetsSummary()));
      row.add(dash(st.getCapturesSummary()));
      row.add(st.getPausedMs() == null ? "-" : st.getPausedMs() + "ms");
      row.add(age(s.getMetadata().getCreationTimestamp()));
      row.add(found(st));
      rows.add(row.toArray(String[]::new));
    }
    Table.print(out, rows);
    return ExitCodes.OK;
  }

  /** The headline of the results: goroutines, traces, the largest group. */
  static String found(DebugSessionStatus status) {
    SessionResults r = status.getResults();
    if (r == null) {
      return status.getPhase() != null && status.getPhase().name().equals("Failed") && status.getMessage() != null
          ? ErrorReport.oneLine(status.getMessage()) : "-";
    }
    List<String> parts = new ArrayList<>();
    if (r.getGoroutines() != null) {
      parts.add(r.getGoroutines() + " goroutines");
    }
    if (r.getTraceStacks() != null && !r.getTraceStacks().isEmpty()) {
      long blocked = r.getTraceStacks().stream().mapToLong(t -> t.getBlocked() == null ? 0 : t.getBlocked()).sum();
      parts.add(r.getTraceStacks().size() + " traces (" + blocked + " blocked)");
    }
    if (r.getLeakSuspects() != null && !r.getLeakSuspects().isEmpty()) {
      parts.add(r.getLeakSuspects().size() + " leak suspects");
    }
    if (r.getTopGroups() != null && !r.getTopGroups().isEmpty() && r.getTopGroups().get(0).getFrames() != null
        && !r.getTopGroups().get(0).getFrames().isEmpty()) {
      parts.add("top: " + r.getTopGroups().get(0).getCount() + "x " + r.getTopGroups().get(0).getFrames().get(0));
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }

  static String age(String timestamp) {
    if (timestamp == null) {
      return "-";
    }
    Duration age = Duration.between(Instant.parse(timestamp), Instant.now());
    long s = Math.max(0, age.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return s / 60 + "m";
    }
    return s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
  }

  /** Left-aligned columns two spaces apart, as kubectl prints tables. */
  static final class Table {
    private Table() {
    }

    static void print(PrintWriter out, List<String[]> rows) {
      int[] widths = new int[rows.get(0).length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", row[i]));
        }
        out.println(line.toString().stripTrailing());
      }
    }
  }
}
