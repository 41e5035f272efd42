package dev.gopherscope.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the real components live: the repository, the build cache outside it, and the pinned
 * versions from {@code testenv/versions.env}. The first use in a JVM runs {@code testenv/setup.sh},
 * which builds whatever is missing or stale (it is idempotent and fast when everything is cached),
 * so a test started from an IDE gets the same binaries as {@code make test}.
 */
public final class TestEnvironment {

  private static TestEnvironment shared;

  private final Path repoRoot;
  private final Path cacheDir;
  private final Map<String, String> versions;

  private TestEnvironment(Path repoRoot, Path cacheDir, Map<String, String> versions) {
    this.repoRoot = repoRoot;
    this.cacheDir = cacheDir;
    this.versions = versions;
  }

  /** The environment with every binary built; builds them on first use in this JVM. */
  public static synchronized TestEnvironment get() {
    if (shared == null) {
      Path root = findRepoRoot();
      TestEnvironment env = new TestEnvironment(root, resolveCacheDir(), readVersions(root.resolve("testenv/versions.env")));
      env.runSetup();
      shared = env;
    }
    return shared;
  }

  public Path repoRoot() {
    return repoRoot;
  }

  public Path cacheDir() {
    return cacheDir;
  }

  public String version(String key) {
    String value = versions.get(key);
    if (value == null) {
      throw new IllegalStateException(key + " is not set in testenv/versions.env");
    }
    return value;
  }

  public String kubernetesVersion() {
    return version("KUBERNETES_VERSION");
  }

  /** The project's version from the root {@code pom.xml}: the tag {@code make image-tars} gives both images. */
  public String projectVersion() {
    try {
      String pom = Files.readString(repoRoot.resolve("pom.xml"));
      int parent = pom.indexOf("<artifactId>gopherscope-parent</artifactId>");
      int start = pom.indexOf("<version>", parent) + "<version>".length();
      return pom.substring(start, pom.indexOf("</version>", start)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The layout fabric8 kube-api-test expects: {@code <dir>/k8s/<version>-linux-amd64/}. */
  public Path kubernetesBinDir() {
    return cacheDir.resolve("k8s").resolve(kubernetesVersion() + "-linux-amd64");
  }

  public Path kubectl() {
    return kubernetesBinDir().resolve("kubectl");
  }

  public Path dlv() {
    return cacheDir.resolve("bin").resolve("dlv-" + version("DELVE_VERSION")).resolve("dlv");
  }

  public Path demoService() {
    return cacheDir.resolve("bin").resolve("demo-service");
  }

  /** The demo as production binaries ship: {@code objcopy --strip-all}, no DWARF, no symbols. */
  public Path strippedDemoService() {
    return cacheDir.resolve("bin").resolve("demo-service-stripped");
  }

  /** The stripped demo's debug info, {@code objcopy --only-keep-debug} of the demo. */
  public Path demoServiceDebugInfo() {
    return cacheDir.resolve("bin").resolve("demo-service.debug");
  }

  /** The demo built with {@code GOEXPERIMENT=goroutineleakprofile}: it serves {@code /debug/pprof/goroutineleak}. */
  public Path demoServiceWithLeakProfile() {
    return cacheDir.resolve("bin").resolve("demo-service-leakprofile");
  }

  /** A per-run scratch directory under the module's {@code target/}, for logs and spools. */
  public static Path scratchDir(String name) {
    Path dir = Path.of("target", "it-work", name).toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private void runSetup() {
    Path script = repoRoot.resolve("testenv/setup.sh");
    try {
      Process process = new ProcessBuilder(List.of("bash", script.toString()))
          .directory(repoRoot.toFile())
          .inheritIO()
          .start();
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(script + " failed with exit code " + exit
            + "; its output above says which component could not be built");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the test environment", e);
    }
    for (Path binary : List.of(kubernetesBinDir().resolve("kube-apiserver"), kubernetesBinDir().resolve("etcd"),
        kubectl(), dlv(), demoService(), strippedDemoService(), demoServiceWithLeakProfile())) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException("testenv/setup.sh finished but " + binary + " is missing");
      }
    }
  }

  private static Path resolveCacheDir() {
    String configured = System.getenv("GOPHERSCOPE_CACHE");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".cache", "gopherscope");
  }

  private static Path findRepoRoot() {
    String configured = System.getProperty("gopherscope.repoRoot");
    if (configured != null && Files.exists(Path.of(configured, "testenv", "versions.env"))) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("testenv/versions.env"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the repository root (a directory with testenv/versions.env) "
        + "above " + Path.of("").toAbsolutePath());
  }

  static Map<String, String> readVersions(Path file) {
    Map<String, String> result = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        int eq = trimmed.indexOf('=');
        if (eq > 0) {
          result.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return result;
  }
}
