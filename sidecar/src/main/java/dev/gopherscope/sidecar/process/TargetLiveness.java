package dev.gopherscope.sidecar.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells whether the target process still runs. A capture that fails because its target died says
 * little ("connection reset", "dlv closed the connection"); asking {@code /proc} afterwards turns
 * that into the real reason. A zombie counts as exited (it runs no code, and its parent may not have
 * reaped it yet), and so does a pid the kernel gave to a new process: its start time differs.
 */
public final class TargetLiveness {

  private final ProcFs proc;
  private final long pid;
  private final Optional<String> startTime;

  TargetLiveness(Path procRoot, long pid) {
    this.proc = new ProcFs(procRoot);
    this.pid = pid;
    this.startTime = stat(pid).map(TargetLiveness::startTime);
  }

  /** Watches {@code pid} as this sidecar sees it, remembering its start time now. */
  public static TargetLiveness of(long pid) {
    return new TargetLiveness(Path.of("/proc"), pid);
  }

  public long pid() {
    return pid;
  }

  /** True once the process is gone, a zombie, or its pid belongs to another process. */
  public boolean exited() {
    Optional<String> stat = stat(pid);
    if (stat.isEmpty()) {
      return true;
    }
    char state = state(stat.get());
    return state == 'Z' || state == 'X' || !startTime.equals(Optional.of(startTime(stat.get())));
  }

  /**
   * True if the process is gone now or goes within {@code grace}. A process being killed closes its
   * sockets before the kernel shows it as a zombie, so a capture can fail with "connection refused"
   * while {@link #exited()} still says alive; asked after such a failure, this waits out that window.
   */
  public boolean exitedWithin(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (!exited()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return exited();
      }
    }
    return true;
  }

  private Optional<String> stat(long pid) {
    return ProcFs.read(proc.root().resolve(Long.toString(pid)).resolve("stat"));
  }

  /** The comm field is in parentheses and may hold spaces and parentheses itself, so fields count from the last ')'. */
  private static String[] fieldsAfterComm(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 1).strip().split("\\s+");
  }

  private static char state(String stat) {
    return fieldsAfterComm(stat)[0].charAt(0);
  }

  /** Field 22 of {@code stat}, the 20th after the comm. */
  private static String startTime(String stat) {
    String[] fields = fieldsAfterComm(stat);
    return fields.length > 19 ? fields[19] : "";
  }
}
