package dev.gopherscope.sidecar.process;

import dev.gopherscope.sidecar.process.TargetProblem.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * What stands between a found target and a Delve capture: a binary without DWARF (blocking; pprof
 * captures are unaffected) and a ptrace the kernel would refuse (advisory).
 */
public final class DelvePreflight {

  private final PtraceAccess ptrace;

  public DelvePreflight(PtraceAccess ptrace) {
    this.ptrace = ptrace;
  }

  /** The problems found, blocking ones first; empty when Delve should be able to attach. */
  public List<TargetProblem> check(TargetProcess target) {
    List<TargetProblem> problems = new ArrayList<>();
    if (!target.buildInfo().hasDebugInfo()) {
      problems.add(new TargetProblem(Reason.NO_DEBUG_INFO, target.describe() + " was built without DWARF "
          + "debug info (stripped, or linked with -ldflags=-w), so Delve cannot read its goroutines or "
          + "variables; pprof captures still work. Rebuild without -w / -s to debug it."));
    }
    ptrace.check(target).ifPresent(problems::add);
    return problems;
  }
}
