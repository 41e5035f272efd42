package dev.gopherscope.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.GoDemoProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The finder on real processes through the real {@code /proc}. Other Go processes run on this
 * machine (other tests, tools), so the tree it scans links only the processes of this test: the
 * demo, this JVM (a non-Go process), and a {@code sleep} standing in for the sidecar (the demo is
 * this JVM's child, and the finder never picks the sidecar's own descendants).
 */
class TargetProcessFinderIT {

  @TempDir
  Path dir;

  @AfterEach
  void removeLinks() throws Exception {
    FakeProc.deleteLinks(dir);
  }

  @Test
  void findsTheRealDemoNextToANonGoProcess() throws Exception {
    Process sidecar = new ProcessBuilder("sleep", "60").start();
    try (GoDemoProcess demo = GoDemoProcess.start(0)) {
      for (long pid : new long[] {ProcessHandle.current().pid(), sidecar.pid(), demo.pid()}) {
        Files.createSymbolicLink(dir.resolve(Long.toString(pid)), Path.of("/proc", Long.toString(pid)));
      }

      TargetProcess target = new TargetProcessFinder(dir, sidecar.pid()).find(Optional.empty());

      assertThat(target.pid()).isEqualTo(demo.pid());
      assertThat(target.exe()).endsWith("/demo-service");
      assertThat(target.commandLine()).contains("-addr", "-idle");
      assertThat(target.buildInfo().hasDebugInfo()).isTrue();
      assertThat(target.uid()).isEqualTo(Long.parseLong(uidOfThisProcess()));
      assertThat(new DelvePreflight(PtraceAccess.forThisProcess()).check(target))
          .as("this test may ptrace its own child").isEmpty();
    } finally {
      sidecar.destroyForcibly();
    }
  }

  private static String uidOfThisProcess() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
        .map(l -> l.substring(4).strip().split("\\s+")[0]).findFirst().orElseThrow();
  }
}
