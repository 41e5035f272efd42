package dev.gopherscope.sidecar.capture.delve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure a target that dlv was killed away from is not left in a job-control stop.
 *
 * <p>dlv stops a target's threads with {@code SIGSTOP} and consumes each stop while it lives. If it
 * dies between sending one and consuming it, the kernel detaches ptrace with the signal still
 * pending, and the whole process then enters a group stop that nothing ends: exactly the halt
 * forever that killing dlv was meant to prevent. So after a kill the target's state is watched
 * briefly, and a stopped target gets {@code SIGCONT} (which also discards any pending stop).
 */
final class StoppedTargetRescue {

  private static final Duration POLL = Duration.ofMillis(5);

  private final Path procRoot;

  StoppedTargetRescue(Path procRoot) {
    this.procRoot = procRoot;
  }

  /**
   * Watches {@code pid} for up to {@code watchFor} on a thread of its own, so that whoever killed
   * dlv can report the pause as ended at dlv's death; a stop is caught within milliseconds.
   */
  void watchInBackground(long pid, Duration watchFor) {
    Thread watcher = new Thread(() -> rescue(pid, watchFor), "stopped-target-rescue-" + pid);
    watcher.setDaemon(true);
    watcher.start();
  }

  /**
   * Watches {@code pid} for up to {@code watchFor} and continues it if it stops.
   *
   * @throws IllegalStateException if the target is stopped and {@code kill -CONT} failed
   */
  private void rescue(long pid, Duration watchFor) {
    long deadline = System.nanoTime() + watchFor.toNanos();
    do {
      if (isStopped(pid)) {
        sendContinue(pid);
        return;
      }
      sleep(POLL);
    } while (System.nanoTime() < deadline);
  }

  private boolean isStopped(long pid) {
    try {
      String status = Files.readString(procRoot.resolve(Long.toString(pid)).resolve("status"),
          StandardCharsets.UTF_8);
      for (String line : status.split("\n")) {
        if (line.startsWith("State:")) {
          // "T (stopped)" is a group stop; "t (tracing stop)" would mean a tracer still holds it.
          return line.substring("State:".length()).strip().startsWith("T");
        }
      }
      return false;
    } catch (IOException e) {
      return false; // the target is gone
    }
  }

  private static void sendContinue(long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-CONT", Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -CONT " + pid + " failed: "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -CONT " + pid + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending SIGCONT to " + pid, e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
