package dev.gopherscope.bench;

import dev.gopherscope.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Large Go binaries with DWARF for dlv to load. The test environment builds kube-apiserver, kubectl
 * and etcd with {@code -s -w}, which dlv cannot use; the same modules are linked again here without
 * those flags into bench/target. The compiled packages are in Go's build cache, so this is mostly a
 * link. Nothing is downloaded ({@code GOPROXY=off}); the result is kept for later runs.
 */
final class DwarfBinaries {

  /** A binary with DWARF, or why there is none. */
  record Binary(String name, Path path, double buildSeconds, boolean cached, String problem) {

    boolean ok() {
      return problem == null;
    }
  }

  private DwarfBinaries() {
  }

  static List<Binary> all(Path repo) {
    TestEnvironment env = TestEnvironment.get();
    Path build = env.cacheDir().resolve("build").resolve("k8s-" + env.kubernetesVersion());
    Path out = repo.resolve("bench/target/dwarf-bin").resolve(env.kubernetesVersion());
    return List.of(
        link(out, "etcd", build.resolve("etcd"), "."),
        link(out, "kubectl", build.resolve("k8s"), "k8s.io/kubernetes/cmd/kubectl"),
        link(out, "kube-apiserver", build.resolve("k8s"), "k8s.io/kubernetes/cmd/kube-apiserver"));
  }

  private static Binary link(Path outDir, String name, Path module, String pkg) {
    Path binary = outDir.resolve(name);
    Path stamp = outDir.resolve(name + ".build-seconds");
    try {
      if (Files.isExecutable(binary) && Files.exists(stamp)) {
        return new Binary(name, binary, Double.parseDouble(Files.readString(stamp).trim()), true, null);
      }
      if (!Files.exists(module.resolve("go.mod"))) {
        return new Binary(name, binary, -1, false, "no module at " + module + " (testenv/build-k8s.sh writes it)");
      }
      Files.createDirectories(outDir);
      System.out.println("[bench] footprint: linking " + name + " with DWARF (" + pkg + ")");
      ProcessBuilder builder = new ProcessBuilder("go", "build", "-trimpath", "-o", binary.toString(), pkg)
          .directory(module.toFile()).redirectErrorStream(true);
      builder.environment().put("CGO_ENABLED", "0");
      builder.environment().put("GOPROXY", "off");
      long start = System.nanoTime();
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
        return new Binary(name, binary, -1, false, "go build failed: " + output.strip());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Files.writeString(stamp, String.valueOf(seconds));
      return new Binary(name, binary, seconds, false, null);
    } catch (IOException e) {
      return new Binary(name, binary, -1, false, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Binary(name, binary, -1, false, "interrupted");
    }
  }
}
