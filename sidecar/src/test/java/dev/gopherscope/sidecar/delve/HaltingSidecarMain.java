package dev.gopherscope.sidecar.delve;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A stand-in for a sidecar that dies at the worst moment: it attaches dlv to a pid, lets the
 * target run, halts it as a capture would, says {@code HALTED dlv=<pid>} and waits to be killed.
 * Run by {@link SidecarKillIT} in a JVM of its own.
 */
public final class HaltingSidecarMain {

  private HaltingSidecarMain() {
  }

  /** Arguments: the dlv binary, the target's pid. */
  public static void main(String[] args) throws Exception {
    DelveServer dlv = DelveServer.attach(Path.of(args[0]), Long.parseLong(args[1]), Duration.ofSeconds(60));
    DelveClient client = dlv.connect(Duration.ofSeconds(60));
    // The attach left the target halted; a halt now would queue a SIGTRAP that nobody consumes.
    client.resumeAndConfirm();
    if (client.halt().running()) {
      throw new IllegalStateException("the target still runs after halt");
    }
    System.out.println("HALTED dlv=" + dlv.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
