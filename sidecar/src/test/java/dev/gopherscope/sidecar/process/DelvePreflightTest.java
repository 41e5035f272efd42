package dev.gopherscope.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.process.TargetProblem.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelvePreflightTest {

  @TempDir
  Path dir;

  @AfterEach
  void removeLinks() throws Exception {
    FakeProc.deleteLinks(dir);
  }

  @Test
  void aBinaryWithoutDwarfBlocksDelveButNotPprof() throws Exception {
    FakeProc proc = new FakeProc(Files.createDirectories(dir.resolve("proc")))
        .process(100, 1, Path.of("/usr/bin/java"), "java", 0)
        .process(7, 1, Path.of("/app/server"), "server", 0);
    TargetProcess stripped = new TargetProcess(7, "/app/server", "server", List.of(), 0,
        new GoBuildInfo("go1.26.8", "", "", false, "amd64"));

    List<TargetProblem> problems = new DelvePreflight(new PtraceAccess(proc.root(), 100)).check(stripped);

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.reason()).isEqualTo(Reason.NO_DEBUG_INFO);
      assertThat(p.reason().advisory()).isFalse();
      assertThat(p.message()).contains("DWARF").contains("pprof captures still work");
    });
  }
}
