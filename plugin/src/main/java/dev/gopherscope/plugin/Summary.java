package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.LeakSuspect;
import dev.gopherscope.api.v1alpha1.SessionResults;
import dev.gopherscope.api.v1alpha1.StackGroupSummary;
import dev.gopherscope.api.v1alpha1.TargetPhase;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import dev.gopherscope.api.v1alpha1.TraceStackSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What a finished session found, short enough to read at a glance; the artifacts hold the rest. */
final class Summary {

  private static final int TOP = 5;
  private final PrintWriter out;

  Summary(PrintWriter out) {
    this.out = out;
  }

  /**
   * @param source where the files that were not already here came from and how long that took
   *     (e.g. "fetched from S3 at https://... in 412 ms"), or null
   */
  void print(DebugSession session, List<Downloads.Fetched> files, String source) {
    DebugSessionStatus status = session.getStatus();
    String name = session.getMetadata().getName();
    out.println();
    if (status == null) {
      out.println(name + ": Pending (the operator has not seen it yet)");
      return;
    }
    out.println(name + ": " + status.getPhase() + (status.getMessage() == null ? "" : " - " + status.getMessage()));
    if (status.getTrigger() != null) {
      out.println("  trigger: " + status.getTrigger().getState() + (status.getTrigger().getFirstFiredTime() == null ? ""
          : " on " + status.getTrigger().getFiredTargets() + " target(s), first at "
          + status.getTrigger().getFirstFiredTime()));
    }
    for (TargetStatus target : nullSafe(status.getTargets())) {
      if (target.getPhase() != TargetPhase.Done) {
        out.println("  pod " + target.getPod() + ": " + target.getPhase()
            + (target.getReason() == null ? "" : " (" + target.getReason() + ")")
            + (target.getMessage() == null ? "" : " " + target.getMessage()));
      }
    }
    results(status.getResults());
    cpu(files);
    artifacts(name, files, source);
  }

  private void results(SessionResults results) {
    if (results == null) {
      return;
    }
    if (results.getGoroutines() != null && results.getGoroutines() > 0) {
      out.println("Goroutines: " + results.getGoroutines() + " seen"
          + (results.getMatchedGoroutines() == null ? "" : ", " + results.getMatchedGoroutines() + " kept by the filter"));
    }
    if (!nullSafe(results.getTopGroups()).isEmpty()) {
      out.println("Largest goroutine groups:");
      for (StackGroupSummary group : results.getTopGroups().stream().limit(TOP).toList()) {
        out.printf(Locale.ROOT, "  %6d  %s%s%n", group.getCount(), String.join(" <- ", nullSafe(group.getFrames())),
            group.getPod() == null ? "" : "  [" + group.getPod() + "]");
      }
    }
    if (!nullSafe(results.getTraceStacks()).isEmpty()) {
      out.println("Traces (goroutines, blocked, innermost frames):");
      for (TraceStackSummary trace : results.getTraceStacks().stream().limit(TOP).toList()) {
        int pods = trace.getPods() == null ? 1 : trace.getPods();
        int goroutines = trace.getGoroutines() == null ? 0 : trace.getGoroutines();
        out.printf(Locale.ROOT, "  %s  %d goroutine%s, %d blocked%s  %s%n", trace.getTraceId(), goroutines,
            goroutines == 1 ? "" : "s", trace.getBlocked(), pods > 1 ? " across " + pods + " pods" : "",
            String.join(", ", nullSafe(trace.getTopFrames())));
      }
    }
    if (!nullSafe(results.getLeakSuspects()).isEmpty()) {
      out.println("Leak suspects (Proven: by the garbage collector; Growth: grew in every snapshot):");
      for (LeakSuspect leak : results.getLeakSuspects()) {
        out.printf(Locale.ROOT, "  %-6s %s  %s  [%s]%n", leak.getMethod() == null ? "Growth" : leak.getMethod(),
            leak.getCounts(), String.join(" <- ", nullSafe(leak.getFrames())), leak.getPod());
      }
    }
    new RuntimeFigures(out).print(results);
  }

  private void cpu(List<Downloads.Fetched> files) {
    for (Downloads.Fetched f : files) {
      if (!f.file().getFileName().toString().equals("cpu.pb.gz")) {
        continue;
      }
      try {
        List<FlatProfile.Frame> top = FlatProfile.read(f.file()).top(TOP);
        out.println("Top CPU frames, pod " + f.artifact().getPod() + " (flat):");
        if (top.isEmpty()) {
          out.println("  no samples (the process was idle, or the filter kept none)");
        }
        top.forEach(frame -> out.printf(Locale.ROOT, "  %5.1f%%  %s%n", frame.share(), frame.function()));
      } catch (IOException | RuntimeException e) {
        out.println("Top CPU frames, pod " + f.artifact().getPod() + ": cannot read " + f.file() + ": " + e.getMessage());
      }
    }
  }

  private void artifacts(String session, List<Downloads.Fetched> files, String source) {
    if (files.isEmpty()) {
      return;
    }
    Path dir = files.get(0).file().getParent().getParent();
    out.println("Artifacts in " + dir + "/ (sha256 checked" + (source == null ? "" : "; " + source) + "):");
    for (Downloads.Fetched f : files) {
      out.printf(Locale.ROOT, "  %-40s %9d bytes%s%n", f.artifact().getPod() + "/" + f.artifact().getName(),
          f.artifact().getBytes() == null ? 0 : f.artifact().getBytes(), f.cached() ? "  (already here)" : "");
    }
    if (files.stream().anyMatch(f -> f.file().toString().endsWith(".html"))) {
      out.println("Open the flame graph: kubectl gopherscope open " + session);
    } else if (files.stream().anyMatch(f -> f.file().toString().endsWith(".pb.gz"))) {
      out.println("Explore in pprof:     kubectl gopherscope open " + session + " --pprof");
    }
  }

  static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
