package dev.gopherscope.sidecar.app;

import dev.gopherscope.testsupport.ManagedProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sidecar as its own JVM, started the way the image starts it: the lean flags, and only the
 * runtime classpath ({@code target/classes} plus {@code target/classpath.txt}, which
 * {@code mvn package} writes), so start-up time and memory are the real ones.
 */
final class SidecarJvm {

  /**
   * The flags the sidecar should run with inside a pod: one GC thread, the quick C1 JIT only, and
   * a heap that starts small (memory the JVM never touches is never resident) and stops at 48 MiB.
   */
  static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-Xms8m",
      "-Xmx48m", "-XX:MaxMetaspaceSize=48m", "-XX:ReservedCodeCacheSize=16m", "-Xshare:auto");

  private SidecarJvm() {
  }

  static ManagedProcess start(String name, List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(FLAGS);
    command.addAll(List.of("-cp", classpath(), SidecarMain.class.getName()));
    command.addAll(args);
    Path log = TestEnvironment.scratchDir("logs").resolve(name + "-" + System.nanoTime() + ".log");
    return ManagedProcess.start(name, command, env, log, null);
  }

  /** The runtime classpath when the build wrote it, else this JVM's (say, in an IDE). */
  static String classpath() {
    Path file = Path.of("target", "classpath.txt");
    if (!Files.isRegularFile(file)) {
      return System.getProperty("java.class.path");
    }
    try {
      return Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
