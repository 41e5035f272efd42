package dev.gopherscope.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.process.TargetProblem.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PtraceAccessTest {

  private static final long SELF = 100;
  private static final long TARGET = 7;
  private static final long CAP_SYS_PTRACE = 1L << 19;
  private static final long CAP_DAC_OVERRIDE = 1L << 1;
  private static final long CAP_KILL = 1L << 5;

  @TempDir
  Path dir;

  @AfterEach
  void removeLinks() throws Exception {
    FakeProc.deleteLinks(dir);
  }

  /** A {@code /proc} with us running as {@code ourUid} and the target as {@code targetUid}. */
  private FakeProc proc(String name, long ourUid, long targetUid) throws Exception {
    return new FakeProc(Files.createDirectories(dir.resolve(name)))
        .process(SELF, 1, Path.of("/usr/bin/java"), "java", ourUid)
        .process(TARGET, 1, Path.of("/app/server"), "server", targetUid);
  }

  private static Optional<TargetProblem> check(FakeProc proc) {
    TargetProcess target = new TargetProcess(TARGET, "/app/server", "server", List.of(), 0,
        new GoBuildInfo("go1.26.8", "", "", true, "amd64"));
    return new PtraceAccess(proc.root(), SELF).check(target);
  }

  @Test
  void sameUserWithoutYamaMayTrace() throws Exception {
    assertThat(check(proc("same", 1000, 1000))).isEmpty();
  }

  @Test
  void anotherUserNeedsTheCapability() throws Exception {
    FakeProc proc = proc("other", 1000, 2000);

    assertThat(check(proc)).hasValueSatisfying(problem -> {
      assertThat(problem.reason()).isEqualTo(Reason.PTRACE_NOT_PERMITTED);
      assertThat(problem.reason().advisory()).isTrue();
      assertThat(problem.message()).contains("uid [2000").contains("CAP_SYS_PTRACE");
    });
    assertThat(check(proc.capabilities(SELF, CAP_SYS_PTRACE | CAP_DAC_OVERRIDE | CAP_KILL))).isEmpty();
  }

  /**
   * As on a real node: root with all but SYS_PTRACE dropped cannot open another user's
   * /proc/PID/auxv, nor signal it to halt it.
   */
  @Test
  void rootWithOnlySysPtraceCannotOpenNorSignalAnotherUsersProcess() throws Exception {
    FakeProc proc = proc("root", 0, 65532).capabilities(SELF, CAP_SYS_PTRACE);

    assertThat(check(proc)).hasValueSatisfying(problem -> {
      assertThat(problem.reason()).isEqualTo(Reason.PTRACE_NOT_PERMITTED);
      assertThat(problem.message()).contains("uid [65532").contains("CAP_DAC_OVERRIDE").contains("CAP_KILL");
    });
    assertThat(check(proc.capabilities(SELF, CAP_SYS_PTRACE | CAP_DAC_OVERRIDE)))
        .hasValueSatisfying(problem -> assertThat(problem.message()).contains("CAP_KILL").doesNotContain("DAC"));
    assertThat(check(proc.capabilities(SELF, CAP_SYS_PTRACE | CAP_DAC_OVERRIDE | CAP_KILL))).isEmpty();
    assertThat(check(proc("root-same", 0, 0).capabilities(SELF, CAP_SYS_PTRACE))).isEmpty();
  }

  @Test
  void yamaScopesOneAndTwoNeedTheCapabilityEvenForTheSameUser() throws Exception {
    for (int scope : new int[] {1, 2}) {
      FakeProc proc = proc("scope" + scope, 1000, 1000).ptraceScope(scope);

      assertThat(check(proc)).as("scope %d", scope)
          .hasValueSatisfying(p -> assertThat(p.message()).contains("ptrace_scope is " + scope));
      assertThat(check(proc.capabilities(SELF, CAP_SYS_PTRACE))).as("scope %d with the capability", scope)
          .isEmpty();
    }
  }

  @Test
  void yamaScopeThreeForbidsEveryone() throws Exception {
    FakeProc proc = proc("scope3", 0, 0).ptraceScope(3).capabilities(SELF, CAP_SYS_PTRACE);

    assertThat(check(proc)).hasValueSatisfying(p -> assertThat(p.message()).contains("ptrace_scope is 3"));
  }
}
