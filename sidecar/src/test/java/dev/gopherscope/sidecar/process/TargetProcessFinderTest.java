package dev.gopherscope.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.sidecar.process.TargetProblem.Reason;
import dev.gopherscope.testsupport.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The choice of target over a laid-out {@code /proc} whose exe links point at real binaries. */
class TargetProcessFinderTest {

  private static final long SELF = 100;
  private static final Path LS = Path.of("/bin/ls");

  @TempDir
  Path dir;
  private FakeProc proc;
  private Path demo;

  @BeforeEach
  void layOut() throws Exception {
    proc = new FakeProc(Files.createDirectories(dir.resolve("proc")));
    demo = TestEnvironment.get().demoService();
    Path java = Path.of(ProcessHandle.current().info().command().orElse("/usr/bin/java"));
    proc.process(1, 0, LS, "pause", 65535)
        .process(2, 0, null, "kthreadd", 0)
        .process(SELF, 1, java, "java", 0);
  }

  @AfterEach
  void removeLinks() throws Exception {
    FakeProc.deleteLinks(dir);
  }

  private TargetProcessFinder finder() {
    return new TargetProcessFinder(proc.root(), SELF);
  }

  /** A Go binary under another name, as a second Go service would be. */
  private Path goBinaryNamed(String name) throws Exception {
    return Files.createSymbolicLink(dir.resolve(name), demo);
  }

  @Test
  void picksTheOnlyGoProcessIgnoringOurselvesOurChildrenAndDlv() throws Exception {
    proc.process(7, 1, demo, "demo-service", 1000)
        .process(101, SELF, goBinaryNamed("dlv"), "dlv", 0)
        .process(102, 101, goBinaryNamed("helper"), "helper", 0)
        .process(300, 1, dir.resolve("dlv"), "dlv", 0);

    TargetProcess target = finder().find(Optional.empty());

    assertThat(target.pid()).isEqualTo(7);
    assertThat(target.comm()).isEqualTo("demo-service");
    assertThat(target.uid()).isEqualTo(1000);
    assertThat(target.commandLine()).containsExactly(demo.toString(), "-flag");
    assertThat(target.buildInfo().goVersion()).startsWith("go1.");
    assertThat(target.describe()).startsWith("demo-service (pid 7, go1.");
  }

  @Test
  void twoGoProcessesAreAmbiguousUntilOneIsNamed() throws Exception {
    proc.process(7, 1, demo, "demo-service", 0)
        .process(8, 1, goBinaryNamed("worker"), "worker", 0);

    assertThatThrownBy(() -> finder().find(Optional.empty()))
        .isInstanceOfSatisfying(TargetProcessException.class, e -> {
          assertThat(e.problem().reason()).isEqualTo(Reason.AMBIGUOUS_PROCESS);
          assertThat(e.candidates()).hasSize(2).anySatisfy(c -> assertThat(c).startsWith("worker (pid 8"));
          assertThat(e.problem().message()).contains("name the one to debug");
        });
    assertThat(finder().find(Optional.of("worker")).pid()).isEqualTo(8);
    assertThat(finder().find(Optional.of("demo-service")).pid()).isEqualTo(7);
  }

  @Test
  void aNameMatchesTheKernelsTruncatedComm() throws Exception {
    proc.process(7, 1, goBinaryNamed("svc"), "checkout-servic", 0);

    assertThat(finder().find(Optional.of("checkout-service-v2")).pid()).isEqualTo(7);
  }

  @Test
  void onlyNonGoProcessesSayThatTheyAreNotGo() {
    assertThatThrownBy(() -> finder().find(Optional.empty()))
        .isInstanceOfSatisfying(TargetProcessException.class, e -> {
          assertThat(e.problem().reason()).isEqualTo(Reason.NOT_A_GO_BINARY);
          assertThat(e.problem().message()).contains("ls (pid 1)").contains(".go.buildinfo")
              .contains("1 more could not be inspected");
        });
  }

  @Test
  void noMatchingProcessSaysWhatIsVisible() throws Exception {
    proc.process(7, 1, demo, "demo-service", 0);

    assertThatThrownBy(() -> finder().find(Optional.of("checkout")))
        .isInstanceOfSatisfying(TargetProcessException.class, e -> {
          assertThat(e.problem().reason()).isEqualTo(Reason.NO_PROCESS);
          assertThat(e.problem().message()).contains("named 'checkout'").contains("demo-service (pid 7)")
              .contains("process namespace shared");
        });
  }

  @Test
  void describesAProcessByPid() throws Exception {
    proc.process(7, 1, demo, "demo-service", 0);

    assertThat(finder().describe(7).pid()).isEqualTo(7);
    assertThatThrownBy(() -> finder().describe(1)).isInstanceOfSatisfying(TargetProcessException.class,
        e -> assertThat(e.problem().reason()).isEqualTo(Reason.NOT_A_GO_BINARY));
    assertThatThrownBy(() -> finder().describe(4242)).isInstanceOfSatisfying(TargetProcessException.class,
        e -> assertThat(e.problem().reason()).isEqualTo(Reason.NO_PROCESS));
  }
}
