package dev.gopherscope.sidecar.app;

import dev.gopherscope.sidecar.process.TargetProcess;
import java.util.Optional;

/**
 * The process a session captures from.
 *
 * @param pid its pid, as this sidecar sees it
 * @param process what its binary says, when the binary could be read; without {@code CAP_SYS_PTRACE}
 *     another user's {@code /proc/<pid>/exe} cannot be opened, which pprof captures do not need
 * @param note why only the pid is known, or empty
 */
record TargetIdentity(long pid, Optional<TargetProcess> process, String note) {

  String goVersion() {
    return process.map(p -> p.buildInfo().goVersion()).orElse(null);
  }

  String describe() {
    return process.map(TargetProcess::describe).orElse("pid " + pid);
  }
}
