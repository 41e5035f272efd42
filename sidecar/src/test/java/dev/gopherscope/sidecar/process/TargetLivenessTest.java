package dev.gopherscope.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetLivenessTest {

  @TempDir
  Path proc;

  @Test
  void aRunningProcessHasNotExited() throws IOException {
    stat(42, "(demo) svc)", 'S', 1000);
    assertThat(new TargetLiveness(proc, 42).exited()).isFalse();
  }

  @Test
  void aGoneOrZombieProcessHasExited() throws IOException {
    stat(42, "(demo)", 'S', 1000);
    TargetLiveness liveness = new TargetLiveness(proc, 42);
    stat(42, "(demo)", 'Z', 1000);
    assertThat(liveness.exited()).as("zombie").isTrue();
    Files.delete(proc.resolve("42/stat"));
    assertThat(liveness.exited()).as("gone").isTrue();
  }

  @Test
  void aReusedPidIsAnotherProcess() throws IOException {
    stat(42, "(demo)", 'S', 1000);
    TargetLiveness liveness = new TargetLiveness(proc, 42);
    stat(42, "(bash)", 'S', 2000);
    assertThat(liveness.exited()).isTrue();
  }

  /** A {@code stat} line: pid (comm) state, then fields up to starttime (the 22nd). */
  private void stat(long pid, String comm, char state, long startTime) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("stat"), pid + " " + comm + " " + state
        + " 1 42 42 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 8 0 " + startTime + " 123456 789 18446744073709551615\n");
  }
}
