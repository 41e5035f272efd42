package dev.gopherscope.bench;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import dev.gopherscope.operator.OperatorMain;
import dev.gopherscope.operator.config.OperatorConfigLoader;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.ManagedProcess;
import dev.gopherscope.testsupport.S3Server;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The product on the local real control plane, as {@code make demo} runs it: kube-apiserver + etcd
 * with the CRD, s3proxy, the operator (in this JVM), and the kubelet stand-in, which starts each
 * injected debugger container as a local process with exactly the command, args and env the
 * operator wrote, here the real sidecar with the image's JVM flags. Sessions are applied with the
 * real kubectl and watched until they end.
 */
final class LocalControlPlane implements AutoCloseable {

  private final KubernetesApiServer api;
  private final KubernetesClient client;
  private final S3Server s3;
  private final KubeletStandIn kubelet;
  private final OperatorMain operator;
  private final Path sidecarFlags;
  private final Set<String> namespaces = new HashSet<>();

  private LocalControlPlane(KubernetesApiServer api, KubernetesClient client, S3Server s3, KubeletStandIn kubelet,
      OperatorMain operator, Path sidecarFlags) {
    this.api = api;
    this.client = client;
    this.s3 = s3;
    this.kubelet = kubelet;
    this.operator = operator;
    this.sidecarFlags = sidecarFlags;
  }

  /**
   * Starts the plane. The debugger container's command is the image's {@code java} command line
   * plus one {@code @argfile} of the benchmark's (empty unless {@link #sidecarFlags} fills it), so
   * one operator can start sidecars with and without an AppCDS archive.
   */
  static LocalControlPlane start(Path repo) throws Exception {
    TestEnvironment env = TestEnvironment.get();
    Path flags = repo.resolve("bench/target/sidecar-flags").resolve("plane-" + System.nanoTime() + ".args");
    Files.createDirectories(flags.getParent());
    Files.writeString(flags, "");
    KubernetesApiServer api = KubernetesApiServer.shared();
    KubernetesClient client = api.newClient();
    DebugSessionCrd.install(client);
    S3Server s3 = S3Server.start();
    KubeletStandIn kubelet = new KubeletStandIn(client);
    try {
      OperatorMain operator = OperatorMain.start(OperatorConfigLoader.load(Map.of(
          "GOPHERSCOPE_S3_ENDPOINT", s3.endpoint().toString(),
          "GOPHERSCOPE_S3_ACCESS_KEY", s3.accessKey(),
          "GOPHERSCOPE_S3_SECRET_KEY", s3.secretKey(),
          "GOPHERSCOPE_SIDECAR_API_SERVER", api.serverUrl(),
          "GOPHERSCOPE_SIDECAR_API_CA", api.caPem(),
          "GOPHERSCOPE_SIDECAR_COMMAND", String.join(" ", SidecarJvm.command(repo, List.of("@" + flags), List.of())),
          "GOPHERSCOPE_SIDECAR_DLV", env.dlv().toString(),
          "GOPHERSCOPE_SIDECAR_REPORT_DEADLINE", "60s",
          "GOPHERSCOPE_METRICS_PORT", "0")), api.newClient());
      return new LocalControlPlane(api, client, s3, kubelet, operator, flags);
    } catch (Exception e) {
      kubelet.close();
      s3.close();
      client.close();
      throw e;
    }
  }

  /** Extra JVM flags for the sidecars started from now on (besides the image's). */
  void sidecarFlags(List<String> flags) throws IOException {
    Files.writeString(sidecarFlags, flags.isEmpty() ? "" : String.join("\n", flags) + "\n");
  }

  /** A pod standing for the target process, marked Running, in {@code namespace} (created if new). */
  void runPod(String namespace, String pod) {
    if (namespaces.add(namespace)) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .serverSideApply();
    }
    kubelet.runPod(KubeletStandIn.pod(namespace, pod, "app", Map.of("app", pod)));
  }

  /** What one watch event said, and when it arrived here. */
  record Event(Instant received, DebugSession session) {
  }

  /**
   * Everything observed about one session: the kubectl apply, every watch event, and the debugger
   * container's process (start time from /proc, peak memory sampled every 5 ms).
   */
  record Observed(Instant applied, List<Event> events, Instant sidecarStarted, long sidecarPeakRss,
      String kubectlOutput) {

    DebugSession last() {
      return events.isEmpty() ? null : events.get(events.size() - 1).session();
    }

    SessionPhase phase() {
      DebugSession last = last();
      return last == null || last.getStatus() == null ? null : last.getStatus().getPhase();
    }
  }

  /** Applies {@code yaml} with kubectl and watches the session {@code name} until it ends. */
  Observed apply(String namespace, String name, Path yaml, Duration timeout) throws Exception {
    List<Event> events = Collections.synchronizedList(new ArrayList<>());
    try (Watch watch = client.resources(DebugSession.class).inNamespace(namespace).withName(name)
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, DebugSession resource) {
            events.add(new Event(Instant.now(), resource));
          }

          @Override
          public void onClose(WatcherException cause) {
            // The loop below ends on the terminal phase or the timeout either way.
          }
        })) {
      Instant applied = Instant.now();
      String output = kubectl("apply", "-n", namespace, "-f", yaml.toString());
      long deadline = System.nanoTime() + timeout.toNanos();
      ProcessWatch sidecar = null;
      Instant sidecarStarted = null;
      try {
        while (System.nanoTime() < deadline) {
          DebugSession last = events.isEmpty() ? null : events.get(events.size() - 1).session();
          if (sidecar == null && last != null) {
            ManagedProcess process = debugger(namespace, last);
            if (process != null) {
              sidecar = ProcessWatch.start(process.pid(), 5);
              sidecarStarted = ProcessStart.of(process.pid()).orElse(null);
            }
          }
          SessionPhase phase = last == null || last.getStatus() == null ? null : last.getStatus().getPhase();
          if (phase != null && phase.isFinal()) {
            break;
          }
          Thread.sleep(5);
        }
        if (sidecar != null) {
          // The sidecar exits right after its last report; let the sampler see it to the end.
          ManagedProcess process = debugger(namespace, events.get(events.size() - 1).session());
          if (process != null) {
            process.process().waitFor();
          }
        }
      } finally {
        if (sidecar != null) {
          sidecar.close();
        }
      }
      return new Observed(applied, List.copyOf(events), sidecarStarted, sidecar == null ? -1 : sidecar.peakRssBytes(),
          output);
    }
  }

  /** The process playing the session's debugger container, once the kubelet stand-in has started it. */
  private ManagedProcess debugger(String namespace, DebugSession session) {
    if (session.getStatus() == null || session.getStatus().getTargets() == null) {
      return null;
    }
    for (TargetStatus target : session.getStatus().getTargets()) {
      if (target.getDebuggerContainer() != null && target.getInjectionTime() != null) {
        ManagedProcess process = kubelet.process(namespace, target.getPod(), target.getDebuggerContainer());
        if (process != null) {
          return process;
        }
      }
    }
    return null;
  }

  /** The real kubectl against this API server; its combined output. */
  String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(TestEnvironment.get().kubectl().toString(),
        "--kubeconfig", api.kubeconfigFile().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + output);
    }
    return output;
  }

  /**
   * Deletes the sessions this plane ran while the operator still runs (it owns their finalizers),
   * so no other operator started later in this JVM's API server inherits them.
   */
  private void deleteSessions() {
    for (String namespace : namespaces) {
      client.resources(DebugSession.class).inNamespace(namespace).delete();
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline && namespaces.stream()
        .anyMatch(ns -> !client.resources(DebugSession.class).inNamespace(ns).list().getItems().isEmpty())) {
      PauseBench.sleep(100);
    }
  }

  @Override
  public void close() {
    try {
      deleteSessions();
    } finally {
      operator.close();
      kubelet.close();
      s3.close();
      client.close();
    }
  }
}
