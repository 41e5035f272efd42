package dev.gopherscope.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.PluginCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher's AppCDS archive, installed as make install-plugin installs it: written by the
 * first run, mapped by the next, and written again when a jar or the JVM changed (a stale archive
 * is ignored by the JVM, which then starts slower than with none).
 */
class LauncherArchiveIT {

  /** Installed two minutes ago: an archive aged to one minute ago is still newer. */
  private static final FileTime INSTALLED = FileTime.from(Instant.now().minusSeconds(120));

  @TempDir
  Path dir;

  @Test
  void theArchiveIsWrittenOnceAndAgainWhenAJarOrTheJvmChanged() throws Exception {
    Path launcher = install();
    Path jsa = dir.resolve("gopherscope-plugin/app.jsa");
    Path jvm = dir.resolve("gopherscope-plugin/app.jsa.jvm");

    run(launcher);
    assertThat(jsa).as("written by the first run").isNotEmptyFile();
    assertThat(Files.readString(jvm)).contains("/bin/java").contains("JAVA_RUNTIME_VERSION=");
    FileTime first = age(jsa);

    run(launcher);
    assertThat(Files.getLastModifiedTime(jsa)).as("mapped, not written again").isEqualTo(first);

    // A jar rebuilt in place: lib/'s own time does not change, the jar's does.
    Path jar;
    try (Stream<Path> jars = Files.list(dir.resolve("gopherscope-plugin/lib"))) {
      jar = jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
    }
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
    run(launcher);
    FileTime afterJar = Files.getLastModifiedTime(jsa);
    assertThat(afterJar).as("written again after a jar changed").isGreaterThan(first);
    age(jsa);
    afterJar = Files.getLastModifiedTime(jsa);

    Files.writeString(jvm, "/opt/other-jdk/bin/java JAVA_RUNTIME_VERSION=\"17.0.1+1\"\n");
    run(launcher);
    assertThat(Files.getLastModifiedTime(jsa)).as("written again for another JVM").isGreaterThan(afterJar);
    assertThat(Files.readString(jvm)).doesNotContain("other-jdk");
  }

  /** The launcher and its jars copied as make install-plugin lays them out. */
  private Path install() throws IOException {
    Path built = PluginCli.builtLauncher();
    Path launcher = Files.copy(built, dir.resolve("kubectl-gopherscope"), StandardCopyOption.COPY_ATTRIBUTES);
    Path lib = Files.createDirectories(dir.resolve("gopherscope-plugin/lib"));
    try (Stream<Path> jars = Files.list(built.resolveSibling("gopherscope-plugin/lib"))) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        Files.setLastModifiedTime(Files.copy(jar, lib.resolve(jar.getFileName())), INSTALLED);
      }
    }
    Files.setLastModifiedTime(lib, INSTALLED);
    return launcher;
  }

  /** Sets the file's time a minute back, so that a rewrite within the same second is still seen. */
  private static FileTime age(Path file) throws IOException {
    FileTime earlier = FileTime.from(Instant.now().minusSeconds(60));
    Files.setLastModifiedTime(file, earlier);
    return earlier;
  }

  private void run(Path launcher) throws Exception {
    Process p = new ProcessBuilder(List.of(launcher.toString(), "version")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).startsWith("kubectl-gopherscope ");
  }
}
