package dev.gopherscope.testsupport;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
  /** After a {@link #restartApiServer} the API server is ours: kube-api-test no longer runs it. */
  private ManagedProcess restarted;
  private List<String> apiServerCommand;

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

  /**
   * An API server and etcd of the caller's own, for tests that break them (restart the API server
   * mid-session); the caller closes it. Other tests keep using {@link #shared()}.
   */
  public static KubernetesApiServer startDedicated() {
    return start();
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
      Path file = Files.createTempFile(TestEnvironment.scratchDir("kube"), "kubeconfig-" + ProcessHandle.current().pid() + "-", "");
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

  /**
   * Kills kube-apiserver with SIGKILL, leaves it down for {@code downtime}, then starts it again
   * with the very same command line (same port, certificates and service-account keys) against
   * the same etcd, which keeps running and keeps its data: what a control-plane node sees when
   * the API server crashes and its static pod comes back. Returns once /readyz answers ok.
   */
  public synchronized Duration restartApiServer(Duration downtime) {
    return relaunch(takeOverCommand(), downtime, "-apiserver-restarted.log");
  }

  /**
   * Stops the API server and starts {@code binary} in its place with the very same command line
   * (port, certificates, keys, etcd), such as a build of the same version with debug info for a
   * debugger to load; returns its pid once /readyz answers ok. Its clients need nothing new.
   */
  public synchronized long runApiServerFrom(Path binary) {
    List<String> command = new java.util.ArrayList<>(takeOverCommand());
    command.set(0, binary.toString());
    relaunch(command, Duration.ZERO, "-apiserver-" + binary.getFileName() + ".log");
    return restarted.pid();
  }

  /** The API server's command line, with the server stopped and this class in charge of it from now on. */
  private List<String> takeOverCommand() {
    if (stopped) {
      throw new IllegalStateException("this API server is stopped");
    }
    if (restarted == null) {
      // kube-api-test treats its API server's exit as fatal (it stops etcd and drops the data);
      // stopApiServer() kills it without that, and the command line is read back from /proc.
      Object process = field(server, "kubeApiServerProcess");
      Process apiServer = (Process) field(process, "apiServerProcess");
      apiServerCommand = commandLine(apiServer.pid());
      invoke(process, "stopApiServer");
    } else {
      restarted.close();
    }
    return apiServerCommand;
  }

  private Duration relaunch(List<String> command, Duration downtime, String logSuffix) {
    long started = System.nanoTime();
    sleep(downtime);
    restarted = ManagedProcess.start("kube-apiserver", command, Map.of(),
        TestEnvironment.scratchDir("kube").resolve(kubeconfigFile.getFileName() + logSuffix), null);
    awaitReady(Duration.ofSeconds(90));
    Duration outage = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf("[testenv] kube-apiserver restarted (%s): down %d ms, ready again after %d ms%n",
        command.get(0), downtime.toMillis(), outage.toMillis());
    return outage;
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KubernetesClient client = newClient()) {
      while (true) {
        try {
          if ("ok".equals(client.raw("/readyz"))) {
            return;
          }
        } catch (RuntimeException notYet) {
          // connection refused or 500 while the API server starts
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("kube-apiserver not ready " + timeout.toSeconds() + " s after its restart");
        }
        sleep(Duration.ofMillis(200));
      }
    }
  }

  private static List<String> commandLine(long pid) {
    try {
      String raw = Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8);
      return List.of(raw.split("\u0000"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API server's command line", e);
    }
  }

  private static Object field(Object owner, String name) {
    try {
      Field field = owner.getClass().getDeclaredField(name);
      field.setAccessible(true);
      return field.get(owner);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("kube-api-test changed: no field " + name + " in " + owner.getClass(), e);
    }
  }

  private static void invoke(Object owner, String method) {
    try {
      owner.getClass().getMethod(method).invoke(owner);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("kube-api-test changed: cannot call " + method, e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (!stopped) {
      stopped = true;
      if (restarted != null) {
        restarted.close();
      }
      server.stop();
    }
  }
}
