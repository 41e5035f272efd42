package dev.gopherscope.sidecar.process;

import java.util.List;
import java.util.Optional;

/**
 * One process as {@code /proc} shows it, before deciding whether it is the target.
 *
 * @param exe the {@code exe} link's target; empty for kernel threads and processes we may not inspect
 * @param uids real, effective, saved and filesystem uid ({@code Uid:} in {@code status})
 * @param gids likewise for groups
 */
record ProcessEntry(long pid, long parentPid, Optional<String> exe, String comm, List<String> commandLine,
    List<Long> uids, List<Long> gids) {

  private static final String DELETED = " (deleted)";

  /** The executable's file name, as a person would call the process; {@code comm} when unknown. */
  String name() {
    return exe.map(ProcessEntry::baseName).orElse(comm);
  }

  String describe() {
    return name() + " (pid " + pid + ")";
  }

  /** The file name of an {@code exe} link target, without the kernel's " (deleted)" suffix. */
  static String baseName(String exe) {
    String path = exe.endsWith(DELETED) ? exe.substring(0, exe.length() - DELETED.length()) : exe;
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
