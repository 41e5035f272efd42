package dev.gopherscope.demo;

import static dev.gopherscope.demo.DemoOutput.step;

import dev.gopherscope.testsupport.LocalNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code make demo}: the whole product on this machine, on real components. Where the machine can
 * run a real node (root, cgroups, overlayfs, network namespaces) it runs there, as users run it
 * ({@link NodeDemo}); elsewhere it says why and plays the kubelet's part ({@link StandInDemo}).
 * {@code GOPHERSCOPE_DEMO=stand-in} asks for the second where the first could run.
 */
public final class LocalDemo {

  private LocalDemo() {
  }

  /** Arguments: the output directory, the sidecar's classpath file and jar (for the stand-in). */
  public static void main(String[] args) {
    int exit = 0;
    try {
      Path out = Path.of(args.length > 0 ? args[0] : "demo-out").toAbsolutePath();
      Files.createDirectories(out);
      removeEarlierArtifacts(out.resolve("artifacts"));
      String why = "stand-in".equals(System.getenv("GOPHERSCOPE_DEMO")) ? "you asked for it with GOPHERSCOPE_DEMO=stand-in"
          : LocalNode.whyUnavailable();
      if (why == null) {
        NodeDemo.run(out);
      } else {
        step("no real node (" + why + "): the kubelet's part is played by a stand-in");
        StandInDemo.run(out, Path.of(args.length > 1 ? args[1] : "sidecar/target/classpath.txt").toAbsolutePath(),
            Path.of(args.length > 2 ? args[2] : "sidecar/target/gopherscope-sidecar-0.1.0-SNAPSHOT.jar").toAbsolutePath());
      }
    } catch (Exception e) {
      System.err.println("[demo] FAILED: " + e.getMessage());
      e.printStackTrace();
      exit = 1;
    }
    // Library threads (HTTP clients, informers) must not keep a finished demo alive; shutdown hooks
    // stop what it started.
    System.exit(exit);
  }

  /** Pods get new names on every run: an earlier run's artifacts would read as this one's. */
  private static void removeEarlierArtifacts(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }
}
