package dev.gopherscope.sidecar.app;

import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarReport.ArtifactRecord;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.capture.CaptureResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Local mode's closing words on stdout: how each capture went, where each artifact is, how to open it. */
final class LocalSummary {

  private final SidecarPlan plan;
  private final TargetIdentity target;
  private final LocalRun.ArtifactLocator where;

  LocalSummary(SidecarPlan plan, TargetIdentity target, LocalRun.ArtifactLocator where) {
    this.plan = plan;
    this.target = target;
    this.where = where;
  }

  void print(SessionRun.Outcome outcome, PrintStream out) {
    long ok = outcome.captures().size() - outcome.failedCaptures();
    out.printf(Locale.ROOT, "gopherscope: session %s on %s: %d of %d capture(s) ok%n", plan.session().name(),
        target.describe(), ok, outcome.captures().size());
    outcome.trigger().ifPresent(t -> out.printf(Locale.ROOT, "trigger: %s: %s%n", t.state(), t.message()));
    out.println();
    out.println("captures:");
    for (CaptureResult result : outcome.captures()) {
      CaptureOutcome c = result.outcome();
      out.printf(Locale.ROOT, "  %-6s %-11s %s%s%n", c.ok() ? "ok" : "FAILED", c.kind(),
          c.ok() ? "" : result.reason() + ": ", c.message());
    }
    out.println();
    out.println("artifacts:");
    for (ArtifactRecord a : outcome.allArtifacts()) {
      out.printf(Locale.ROOT, "  %-8s %,11d B  sha256 %s  %s%n", a.state(), a.bytes(), a.sha256(), where.locate(a.name()));
      if (a.message() != null) {
        out.println("           " + a.message());
      }
    }
    List<String> hints = new ArrayList<>();
    for (ArtifactRecord a : outcome.artifacts()) {
      if (a.name().endsWith(".pb.gz") && !a.name().startsWith("goroutines-")) {
        hints.add("pprof:        " + where.pprofCommand(a.name()));
      } else if (a.name().endsWith(".html")) {
        hints.add("flame graph:  " + where.locate(a.name()));
      } else if (a.name().equals("trace-stacks.json")) {
        hints.add("trace stacks: " + where.locate(a.name()));
      } else if (a.name().equals("goroutines-diff.json")) {
        hints.add("what grew:    " + where.locate(a.name()));
      } else if (a.name().equals(SessionPlanner.EXECUTION_TRACE)) {
        hints.add("go tool trace: " + where.locate(a.name()));
      }
    }
    hints.add("full report:  " + where.locate(SessionPlanner.REPORT));
    out.println();
    out.println("open them:");
    hints.forEach(h -> out.println("  " + h));
  }
}
