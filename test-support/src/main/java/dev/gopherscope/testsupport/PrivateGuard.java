package dev.gopherscope.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real dlv, seen through a directory of the test's own next to a {@code dlv-guard} built from
 * this tree's source. The shared guard next to the cached dlv is rebuilt by whichever tree ran
 * {@code testenv/build-tools.sh} last, so a test that must exercise this tree's guard cannot
 * trust it (nor can a benchmark). {@code -Dgopherscope.guardSource=DIR} builds another guard source instead (an older
 * one, to show what a test catches without a fix).
 */
public final class PrivateGuard {

  private static Path dlv;

  private PrivateGuard() {
  }

  /** The dlv path to attach with; its sibling {@code dlv-guard} is the one built here. */
  public static synchronized Path dlv() throws IOException, InterruptedException {
    if (dlv != null) {
      return dlv;
    }
    TestEnvironment env = TestEnvironment.get();
    Path source = Path.of(System.getProperty("gopherscope.guardSource",
        env.repoRoot().resolve("sidecar/dlv-guard").toString()));
    Path dir = Files.createTempDirectory(TestEnvironment.scratchDir("guard"), "bin");
    Process build = new ProcessBuilder("go", "build", "-buildvcs=false", "-trimpath", "-o",
        dir.resolve("dlv-guard").toString(), ".").directory(source.toFile()).redirectErrorStream(true).start();
    build.getOutputStream().close();
    String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
      throw new IllegalStateException("cannot build dlv-guard from " + source + ": " + output);
    }
    dlv = Files.createSymbolicLink(dir.resolve("dlv"), env.dlv());
    System.out.println("[fault] dlv-guard built from " + source + " into " + dir);
    return dlv;
  }
}
