package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a /proc tree laid out by the test: a target whose {@code exe} this sidecar may not open (as
 * without CAP_SYS_PTRACE, for another user's process) is still found by pid for pprof captures.
 */
class TargetLookupTest {

  private static final long SELF = 100;

  @TempDir
  Path proc;

  @Test
  void aPprofOnlyPlanSettlesForThePidWhenTheBinaryCannotBeRead() throws IOException {
    process(SELF, 1, "java");
    process(101, SELF, "dlv");
    process(42, 1, "checkout");

    TargetIdentity target = new TargetLookup(proc, SELF).inPod(Optional.empty(), false);

    assertThat(target.pid()).isEqualTo(42);
    assertThat(target.process()).isEmpty();
    assertThat(target.goVersion()).isNull();
    assertThat(target.note()).startsWith("only the pid is known");
  }

  @Test
  void theNameOfThePlanPicksAmongSeveral() throws IOException {
    process(SELF, 1, "java");
    process(42, 1, "checkout");
    process(43, 1, "sh");

    assertThat(new TargetLookup(proc, SELF).inPod(Optional.of("checkout"), false).pid()).isEqualTo(42);
    assertThatThrownBy(() -> new TargetLookup(proc, SELF).inPod(Optional.empty(), false))
        .isInstanceOf(TargetLookupException.class).satisfies(e ->
            assertThat(((TargetLookupException) e).reason()).isEqualTo("NoProcess"));
  }

  @Test
  void aDelvePlanNeedsTheBinary() throws IOException {
    process(SELF, 1, "java");
    process(42, 1, "checkout");

    assertThatThrownBy(() -> new TargetLookup(proc, SELF).inPod(Optional.empty(), true))
        .isInstanceOf(TargetLookupException.class).hasMessageContaining("could not be inspected");
  }

  @Test
  void theSidecarsOwnChildrenAreNeverTheTarget() throws IOException {
    process(SELF, 1, "java");
    process(200, SELF, "helper");
    process(201, 200, "grandchild");

    assertThatThrownBy(() -> new TargetLookup(proc, SELF).inPod(Optional.empty(), false))
        .isInstanceOf(TargetLookupException.class);
  }

  @Test
  void aPidThatIsGoneIsAFailureEvenForPprof() {
    assertThatThrownBy(() -> new TargetLookup(proc, SELF).byPid(42, false))
        .isInstanceOf(TargetLookupException.class).hasMessageContaining("no process with pid 42");
  }

  /** A process whose status and comm anyone may read, and whose exe link we may not. */
  private void process(long pid, long parent, String comm) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("status"), "Name:\t" + comm + "\nPPid:\t" + parent
        + "\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n");
    Files.writeString(dir.resolve("comm"), comm + "\n");
    Files.writeString(dir.resolve("cmdline"), comm + "\0");
  }
}
