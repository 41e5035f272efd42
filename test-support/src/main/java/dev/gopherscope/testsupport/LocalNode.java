package dev.gopherscope.testsupport;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real single-node cluster on this machine ({@code testenv/node.sh}): kube-apiserver, etcd,
 * kube-controller-manager and kube-scheduler on the host; containerd, runc, the kubelet and
 * kube-proxy in a network namespace of their own. Pods really run, ephemeral containers are
 * really started by the kubelet, and Deployments, ServiceAccount tokens and Services work as in
 * any cluster. Started once per JVM with the images it is given, stopped when the run ends.
 */
public final class LocalNode implements AutoCloseable {

  /** The host's end of the node's veth pair: what pods reach the machine's own servers at. */
  public static final String HOST_ADDRESS = "10.213.0.1";
  public static final String NODE_NAME = "gopherscope-node";
  /** The API server as pods reach it without DNS: the ClusterIP of the {@code kubernetes} Service. */
  public static final String IN_CLUSTER_API_SERVER = "https://10.96.0.1";

  private static LocalNode shared;

  private final Path script;
  private final Path kubeconfig;
  private final Path dir;
  private volatile boolean stopped;

  private LocalNode(Path script, Path kubeconfig) {
    this.script = script;
    this.kubeconfig = kubeconfig;
    this.dir = kubeconfig.getParent();
  }

  /**
   * Why this machine cannot run the node (not root, no cgroup controller, ...), or null when it
   * can. Tests that need the node skip with this reason.
   */
  public static String whyUnavailable() {
    TestEnvironment env = TestEnvironment.get();
    Result check = run(env.repoRoot().resolve("testenv/node.sh"), List.of("check"), List.of());
    return check.exit() == 0 ? null : check.output().strip();
  }

  /**
   * The node of this run, started on first use with {@code images} (OCI tarballs) imported next
   * to the pause and demo-service images. Later calls must name no image the first one lacked.
   */
  public static synchronized LocalNode shared(List<Path> images) {
    if (shared == null || shared.stopped) {
      shared = start(images);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-node-stop"));
    }
    return shared;
  }

  private static LocalNode start(List<Path> images) {
    for (Path image : images) {
      if (!Files.isRegularFile(image)) {
        throw new IllegalStateException(image + " does not exist: run `make image-tars` first");
      }
    }
    Path script = TestEnvironment.get().repoRoot().resolve("testenv/node.sh");
    long started = System.nanoTime();
    Result up = run(script, List.of("up"), images);
    if (up.exit() != 0) {
      throw new IllegalStateException("testenv/node.sh up failed (exit " + up.exit() + "):\n" + up.output());
    }
    List<String> lines = up.output().strip().lines().toList();
    Path kubeconfig = Path.of(lines.get(lines.size() - 1));
    System.out.printf("[testenv] local node ready in %d s (kubeconfig %s)%n",
        (System.nanoTime() - started) / 1_000_000_000L, kubeconfig);
    return new LocalNode(script, kubeconfig);
  }

  /** An admin client; the caller closes it. */
  public KubernetesClient newClient() {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig, StandardCharsets.UTF_8))).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The admin kubeconfig, for kubectl and helm. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** A component's log ({@code kubelet}, {@code containerd}, {@code kube-apiserver}, ...), for failure messages. */
  public String logTail(String component, int lines) {
    try {
      List<String> all = Files.readAllLines(dir.resolve("logs").resolve(component + ".log"), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no " + component + " log: " + e.getMessage() + ")";
    }
  }

  /**
   * The host pids of a container's processes, found by the container id (without its
   * {@code containerd://} prefix) in their cgroup paths: what a node administrator would look at.
   */
  public static List<Long> hostPids(String containerId) {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : proc) {
        try {
          if (Files.readString(process.resolve("cgroup"), StandardCharsets.UTF_8).contains(containerId)) {
            pids.add(Long.parseLong(process.getFileName().toString()));
          }
        } catch (IOException gone) {
          // exited while we looked
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pids;
  }

  /** A field of a host process's {@code /proc/PID/status} ({@code State}, {@code TracerPid}, ...), or null once it is gone. */
  public static String procStatus(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith(field + ":")) {
          return line.substring(field.length() + 1).strip();
        }
      }
      return null;
    } catch (IOException gone) {
      return null;
    }
  }

  @Override
  public synchronized void close() {
    if (!stopped) {
      stopped = true;
      Result down = run(script, List.of("down"), List.of());
      if (down.exit() != 0) {
        System.err.println("[testenv] testenv/node.sh down failed: " + down.output());
      }
    }
  }

  private record Result(int exit, String output) {}

  /** Runs the script with its progress on this JVM's stderr as it comes; returns its stdout. */
  private static Result run(Path script, List<String> args, List<Path> images) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("GOPHERSCOPE_NODE_IMAGES",
        images.stream().map(Path::toString).collect(Collectors.joining(" ")));
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.waitFor(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }
}
