package dev.gopherscope.sidecar.process;

import java.util.List;
import java.util.Objects;

/**
 * The Go process chosen for debugging.
 *
 * @param pid its pid in the shared process namespace
 * @param exe its executable as the kernel names it ({@code /proc/<pid>/exe}), in the target's own
 *     mount namespace, so not necessarily a path the sidecar can open
 * @param comm the kernel's short name for it
 * @param commandLine its arguments, {@code argv[0]} first
 * @param uid its real user id
 * @param buildInfo what its binary says about itself
 */
public record TargetProcess(long pid, String exe, String comm, List<String> commandLine, long uid,
    GoBuildInfo buildInfo) {

  public TargetProcess {
    Objects.requireNonNull(exe, "exe");
    Objects.requireNonNull(comm, "comm");
    commandLine = List.copyOf(commandLine);
    Objects.requireNonNull(buildInfo, "buildInfo");
  }

  /** {@code demo-service (pid 42, go1.26.8)}, for messages. */
  public String describe() {
    return ProcessEntry.baseName(exe) + " (pid " + pid + ", " + buildInfo.goVersion() + ")";
  }
}
