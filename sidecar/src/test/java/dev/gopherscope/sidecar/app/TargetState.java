package dev.gopherscope.sidecar.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the kernel says of a target process. */
final class TargetState {

  private TargetState() {
  }

  /** The state letter of {@code /proc/<pid>/stat}: R, S, D, T (stopped), t (tracing stop), Z. */
  static char of(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
  }

  /** Whether the process is halted: stopped by a signal or by its tracer. */
  static boolean halted(long pid) throws IOException {
    char state = of(pid);
    return state == 'T' || state == 't';
  }

  /** The pid of the process tracing {@code pid}, 0 when none. */
  static long tracer(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("TracerPid:")) {
        return Long.parseLong(line.substring("TracerPid:".length()).strip());
      }
    }
    throw new AssertionError("no TracerPid in /proc/" + pid + "/status");
  }
}
