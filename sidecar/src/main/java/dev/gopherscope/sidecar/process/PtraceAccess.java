package dev.gopherscope.sidecar.process;

import dev.gopherscope.sidecar.process.TargetProblem.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Predicts whether dlv, running with this process's credentials, may ptrace the target, from the
 * Yama LSM's {@code kernel.yama.ptrace_scope}, our effective capabilities and both processes' ids.
 * The prediction is advisory: other LSMs (AppArmor, SELinux), a non-dumpable target or user
 * namespaces can still refuse, and only the attach itself can tell.
 *
 * <p>The kernel's rules, in short: scope 3 forbids ptrace entirely; otherwise {@code CAP_SYS_PTRACE}
 * is enough for ptrace itself, though dlv must also open the target's {@code /proc/PID/auxv} and
 * signal it, which another user's process refuses without {@code CAP_DAC_OVERRIDE} and {@code CAP_KILL}; without it scope 2 refuses, scope 1 allows only descendants (the target is never dlv's
 * descendant), and scope 0 (or no Yama) requires our uid and gid to equal the target's real,
 * effective and saved ones.
 */
public final class PtraceAccess {

  private static final int CAP_DAC_OVERRIDE = 1;
  private static final int CAP_KILL = 5;
  private static final int CAP_SYS_PTRACE = 19;

  private final ProcFs proc;
  private final long selfPid;
  private final Path yamaScope;

  public PtraceAccess(Path procRoot, long selfPid) {
    this.proc = new ProcFs(procRoot);
    this.selfPid = selfPid;
    this.yamaScope = procRoot.resolve("sys/kernel/yama/ptrace_scope");
  }

  public static PtraceAccess forThisProcess() {
    return new PtraceAccess(Path.of("/proc"), ProcessHandle.current().pid());
  }

  /** The problem we foresee with ptracing {@code target}, if any. */
  public Optional<TargetProblem> check(TargetProcess target) {
    int scope = ProcFs.read(yamaScope).map(String::strip).map(PtraceAccess::parseScope).orElse(0);
    if (scope >= 3) {
      return problem("kernel.yama.ptrace_scope is 3 on this node: no process may ptrace another until "
          + "reboot, so Delve captures are impossible here; pprof captures still work");
    }
    String self = ProcFs.read(proc.root().resolve(Long.toString(selfPid)).resolve("status")).orElse("");
    List<Long> ourUids = ProcFs.statusField(self, "Uid").orElse(List.of());
    List<Long> ourGids = ProcFs.statusField(self, "Gid").orElse(List.of());
    Optional<ProcessEntry> entry = proc.entry(target.pid());
    boolean known = entry.isPresent() && ourUids.size() > 1 && !ourGids.isEmpty() && entry.get().uids().size() > 1;
    if (hasCapability(self, CAP_SYS_PTRACE)) {
      // Ptrace rights are not all dlv needs. File permissions come first: the target's
      // /proc/PID/auxv (0400) and mem (0600) belong to its effective user, and root with every
      // other capability dropped cannot open them. And Delve halts the target with a signal,
      // which another user's process refuses without CAP_KILL.
      if (known && !ourUids.get(1).equals(entry.get().uids().get(1))) {
        List<String> missing = new ArrayList<>();
        if (!hasCapability(self, CAP_DAC_OVERRIDE)) {
          missing.add("DAC_OVERRIDE (to open its /proc/PID/auxv and mem)");
        }
        if (!hasCapability(self, CAP_KILL)) {
          missing.add("KILL (to halt and resume it with signals)");
        }
        if (!missing.isEmpty()) {
          return problem(target.describe() + " runs as uid " + entry.get().uids() + " and the sidecar as uid "
              + ourUids.get(1) + " without CAP_" + String.join(" or CAP_", missing) + ": add them to the debug "
              + "container's capabilities, or run it as the target's user");
        }
      }
      return Optional.empty();
    }
    String lacking = "the debug container lacks CAP_SYS_PTRACE (add SYS_PTRACE to its securityContext "
        + "capabilities)";
    if (scope == 2) {
      return problem("kernel.yama.ptrace_scope is 2 (admin only) and " + lacking);
    }
    if (scope == 1) {
      return problem("kernel.yama.ptrace_scope is 1 (descendants only: the target is not dlv's child) and "
          + lacking);
    }
    if (!known) {
      return Optional.empty(); // cannot tell; the attach will
    }
    long ourUid = ourUids.get(0);
    long ourGid = ourGids.get(0);
    boolean sameUser = entry.get().uids().stream().limit(3).allMatch(uid -> uid == ourUid)
        && entry.get().gids().stream().limit(3).allMatch(gid -> gid == ourGid);
    if (sameUser) {
      return Optional.empty();
    }
    return problem(target.describe() + " runs as uid " + entry.get().uids() + " gid " + entry.get().gids()
        + ", the sidecar as uid " + ourUid + " gid " + ourGid + ", and " + lacking
        + " or runAsUser/runAsGroup must match the target's");
  }

  private static boolean hasCapability(String status, int capability) {
    return ProcFs.statusHexField(status, "CapEff").map(caps -> (caps & (1L << capability)) != 0).orElse(false);
  }

  private static Optional<TargetProblem> problem(String message) {
    return Optional.of(new TargetProblem(Reason.PTRACE_NOT_PERMITTED, message));
  }

  private static int parseScope(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
