package dev.gopherscope.testsupport;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real kube-apiserver backed by a real etcd, built by {@code testenv/} and run through fabric8
 * kube-api-test in offline mode. Started once per JVM and stopped when the run ends.
 */
public final class KubernetesApiServer implements AutoCloseable {

  private static KubernetesApiServer shared;

  private final KubeAPIServer server;
  private final String kubeconfigYaml;
  private final Path kubeconfigFile;
  private volatile boolean stopped;

  private KubernetesApiServer(KubeAPIServer server, String kubeconfigYaml, Path kubeconfigFile) {
    this.server = server;
    this.kubeconfigYaml = kubeconfigYaml;
    this.kubeconfigFile = kubeconfigFile;
  }

  /** The API server of this test run, started on first use. */
  public static synchronized KubernetesApiServer shared() {
    if (shared == null || shared.stopped) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kube-apiserver-stop"));
    }
    return shared;
  }

  private static KubernetesApiServer start() {
    TestEnvironment env = TestEnvironment.get();
    long started = System.nanoTime();
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(env.cacheDir().toString())
        .withApiServerVersion(env.kubernetesVersion())
        // The env var for offline mode is ignored by kube-api-test; only the builder flag works.
        .withOfflineMode(true)
        .withUpdateKubeConfig(false)
        .withStartupTimeout(120_000)
        .build());
    server.start();
    String yaml = server.getKubeConfigYaml();
    try {
      Path file = TestEnvironment.scratchDir("kube").resolve("kubeconfig-" + ProcessHandle.current().pid());
      Files.writeString(file, yaml);
      System.out.printf("[testenv] kube-apiserver %s ready in %d ms (kubeconfig %s)%n",
          env.kubernetesVersion(), (System.nanoTime() - started) / 1_000_000, file);
      return new KubernetesApiServer(server, yaml, file);
    } catch (IOException e) {
      server.stop();
      throw new UncheckedIOException(e);
    }
  }

  /** An admin client; the caller closes it. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
  }

  /** The API server's URL, as a process on this machine reaches it. */
  public String serverUrl() {
    return Config.fromKubeconfig(kubeconfigYaml).getMasterUrl().replaceAll("/+$", "");
  }

  /** PEM of the CA that signed the API server's certificate. */
  public String caPem() {
    Config config = Config.fromKubeconfig(kubeconfigYaml);
    if (config.getCaCertData() != null) {
      return new String(java.util.Base64.getDecoder().decode(config.getCaCertData()), java.nio.charset.StandardCharsets.US_ASCII);
    }
    try {
      return Files.readString(Path.of(config.getCaCertFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  /** The admin kubeconfig on disk, for kubectl and for processes the tests start. */
  public Path kubeconfigFile() {
    return kubeconfigFile;
  }

  @Override
  public synchronized void close() {
    if (!stopped) {
      stopped = true;
      server.stop();
    }
  }
}
