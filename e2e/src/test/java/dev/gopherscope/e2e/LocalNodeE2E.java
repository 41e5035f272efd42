package dev.gopherscope.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import dev.gopherscope.testsupport.LocalNode;
import dev.gopherscope.testsupport.S3Server;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The product where users run it: the chart installed by the real helm into a real cluster with a
 * real node ({@link LocalNode}: kubelet, containerd, runc), the operator running as a container
 * of its Deployment, the demo service as a two-replica Deployment, and sessions whose debugger
 * containers the kubelet starts next to the app, in its PID namespace, as the spec says. The
 * object store is a real s3proxy on the host, which pods reach over the node's network.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalNodeE2E {

  private static final Duration SESSION_WAIT = Duration.ofMinutes(4);
  private static final String RESTRICTED = "shop-restricted";
  private static final String PRIVILEGED = "shop-privileged";

  private LocalNode node;
  private KubernetesClient client;
  private S3Server s3;
  private S3Client s3Client;
  private final List<TracedTraffic> traffic = new ArrayList<>();

  @BeforeAll
  void installChartAndDemo() throws Exception {
    String why = LocalNode.whyUnavailable();
    if (why != null) {
      System.out.println("[e2e] SKIPPED LocalNodeE2E: this machine cannot run a real node (" + why
          + "): the DebugSession flow on a real kubelet was NOT run");
    }
    assumeTrue(why == null, "no real node here: " + why);
    Path repo = TestEnvironment.get().repoRoot();
    node = LocalNode.shared(List.of(repo.resolve("operator/target/jib-image.tar"), repo.resolve("sidecar/target/jib-image.tar")));
    client = node.newClient();
    s3 = S3Server.startOn(LocalNode.HOST_ADDRESS);
    s3Client = s3.newClient();

    long started = System.nanoTime();
    HelmCli.Result installed = HelmCli.pinned().run(List.of("install", "gopherscope", HelmCli.chart().toString(),
        "-n", "gopherscope-system", "--create-namespace", "--kubeconfig", node.kubeconfig().toString(),
        "--wait", "--timeout", "3m",
        "--set", "image.tag=" + projectVersion(), "--set", "sidecar.image.tag=" + projectVersion(),
        // No DNS on this node: the sidecar reaches the API server at the kubernetes Service's ClusterIP.
        "--set", "sidecar.apiServer=" + LocalNode.IN_CLUSTER_API_SERVER,
        "--set", "objectStore.endpoint=" + s3.endpoint(),
        "--set", "objectStore.credentials.create=true",
        "--set", "objectStore.credentials.accessKey=" + s3.accessKey(),
        "--set", "objectStore.credentials.secretKey=" + s3.secretKey()));
    assertThat(installed.ok()).as("%s\n--- kubelet\n%s", installed.describe(), node.logTail("kubelet", 30)).isTrue();
    System.out.printf("[e2e] helm install --wait: operator Ready as a container in %d ms%n",
        (System.nanoTime() - started) / 1_000_000);

    for (String namespace : List.of(RESTRICTED, PRIVILEGED)) {
      String level = namespace.equals(RESTRICTED) ? "restricted" : "privileged";
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
          .addToLabels("pod-security.kubernetes.io/enforce", level).endMetadata().build()).serverSideApply();
      client.apps().deployments().inNamespace(namespace).resource(checkout(namespace.equals(RESTRICTED))).serverSideApply();
    }
    for (String namespace : List.of(RESTRICTED, PRIVILEGED)) {
      client.apps().deployments().inNamespace(namespace).withName("checkout").waitUntilCondition(
          d -> d != null && d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()),
          2, TimeUnit.MINUTES);
    }
  }

  @AfterAll
  void stop() {
    traffic.forEach(TracedTraffic::close);
    if (s3Client != null) {
      s3Client.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  @Order(1)
  void pprofSessionInRestrictedNamespaceRunsAsNonRootAndFindsTracesInBothPods() throws Exception {
    Map<String, String> pods = podIps(RESTRICTED);
    TracedTraffic load = start(new TracedTraffic(pods, "/work/block?ms=4000", Duration.ofMillis(200), 1_000));
    Thread.sleep(1_500); // a few traced requests parked in each pod before the first capture

    DebugSession done = runSession(RESTRICTED, """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: checkout-pprof}
        spec:
          target: {selector: {matchLabels: {app: checkout}}, container: app, processName: demo-service, maxPods: 2}
          pprof: {port: 6060}
          filter: {labelKeys: [trace_id]}
          captures:
            - {kind: Goroutines, every: 2s, count: 2}
            - {kind: TraceStacks}
            - {kind: CPUProfile, duration: 3s}
          timeout: 3m
        """);
    assertThat(done.getStatus().getPhase()).as(describe(done)).isEqualTo(SessionPhase.Succeeded);
    assertThat(done.getStatus().getTargets()).extracting(TargetStatus::getPod).containsExactlyInAnyOrderElementsOf(pods.keySet());

    for (String podName : pods.keySet()) {
      Pod pod = awaitDebuggerExit(RESTRICTED, podName);
      EphemeralContainer debugger = pod.getSpec().getEphemeralContainers().get(0);
      assertThat(debugger.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(debugger.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
      // The kubelet really ran it: containerd gave it an id, and it ended by itself with exit code 0.
      ContainerStatus status = pod.getStatus().getEphemeralContainerStatuses().get(0);
      assertThat(status.getContainerID()).startsWith("containerd://");
      assertThat(status.getState().getTerminated()).as("debugger container state %s", status.getState()).isNotNull();
      assertThat(status.getState().getTerminated().getExitCode()).isZero();
      assertThat(pod.getStatus().getContainerStatuses()).allSatisfy(app -> assertThat(app.getRestartCount()).isZero());

      List<Artifact> artifacts = done.getStatus().getArtifacts().stream().filter(a -> podName.equals(a.getPod())).toList();
      assertThat(artifacts).extracting(Artifact::getName).contains("trace-stacks.json", "cpu.pb.gz", "goroutines-diff.json");
      String traceStacks = null;
      for (Artifact artifact : artifacts) {
        byte[] bytes = download(artifact);
        assertThat(bytes).as(artifact.getName()).hasSize(artifact.getBytes().intValue());
        assertThat(sha256(bytes)).as(artifact.getName()).isEqualTo(artifact.getSha256());
        if (artifact.getName().equals("trace-stacks.json")) {
          traceStacks = new String(bytes, StandardCharsets.UTF_8);
        }
      }
      String found = traceStacks;
      assertThat(load.traceIdsSentTo(podName)).as("trace ids sent to %s, found in its trace-stacks.json", podName)
          .anySatisfy(traceId -> assertThat(found).contains(traceId));
      System.out.printf("[e2e] %s: debugger ran as uid %s with no capability; %d artifacts, sha256 matched; "
          + "longest heartbeat gap %.1f ms%n", podName, debugger.getSecurityContext().getRunAsUser(), artifacts.size(),
          TracedTraffic.maxHeartbeatGapMs(pods.get(podName)));
    }
    assertThat(load.failed()).as("requests the target failed while debugged: %s", load.failures()).isZero();
  }

  @Test
  @Order(2)
  void delveSessionInPrivilegedNamespacePtracesAcrossContainers() throws Exception {
    Map<String, String> pods = podIps(PRIVILEGED);
    String target = pods.keySet().iterator().next();
    TracedTraffic load = start(new TracedTraffic(Map.of(target, pods.get(target)), "/work/sleep?ms=300",
        Duration.ofMillis(250), 1_000));
    DebugSession done = runSession(PRIVILEGED, delveSession(target));
    assertThat(done.getStatus().getPhase()).as(describe(done)).isEqualTo(SessionPhase.Succeeded);

    Pod pod = awaitDebuggerExit(PRIVILEGED, target);
    EphemeralContainer debugger = pod.getSpec().getEphemeralContainers().get(0);
    assertThat(debugger.getSecurityContext().getCapabilities().getAdd()).containsExactly("SYS_PTRACE", "DAC_OVERRIDE", "KILL");
    ContainerStatus status = pod.getStatus().getEphemeralContainerStatuses().get(0);
    assertThat(status.getState().getTerminated()).as("debugger container state %s", status.getState()).isNotNull();
    assertThat(status.getState().getTerminated().getExitCode()).isZero();
    assertThat(pod.getStatus().getContainerStatuses()).allSatisfy(app -> assertThat(app.getRestartCount()).isZero());
    Artifact snapshotArtifact = done.getStatus().getArtifacts().stream().filter(a -> a.getName().startsWith("snapshot-"))
        .findFirst().orElseThrow(() -> new AssertionError("no snapshot artifact: " + describe(done)));
    for (Artifact artifact : done.getStatus().getArtifacts()) {
      assertThat(sha256(download(artifact))).as(artifact.getName()).isEqualTo(artifact.getSha256());
    }
    String snapshot = new String(download(snapshotArtifact), StandardCharsets.UTF_8);
    assertThat(snapshot).as("the breakpoint's hit with its locals").contains("main.sleepFor");
    System.out.printf("[e2e] %s: dlv attached across containers with SYS_PTRACE; paused %d ms in all; "
        + "longest heartbeat gap %.1f ms%n", target, done.getStatus().getPausedMs(), TracedTraffic.maxHeartbeatGapMs(pods.get(target)));
    assertThat(load.failed()).as("requests the target failed while debugged: %s", load.failures()).isZero();
  }

  @Test
  @Order(3)
  void delveSessionInRestrictedNamespaceIsRefusedBeforeInjecting() throws Exception {
    String target = podIps(RESTRICTED).keySet().iterator().next();
    int before = client.pods().inNamespace(RESTRICTED).withName(target).get().getSpec().getEphemeralContainers().size();
    DebugSession done = runSession(RESTRICTED, delveSession(target).replace("checkout-delve", "checkout-delve-refused"));
    assertThat(done.getStatus().getPhase()).as(describe(done)).isEqualTo(SessionPhase.Failed);
    assertThat(describe(done)).contains("PodSecurityForbidsPtrace");
    assertThat(client.pods().inNamespace(RESTRICTED).withName(target).get().getSpec().getEphemeralContainers())
        .as("nothing injected").hasSize(before);
  }

  private static String delveSession(String pod) {
    return """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: checkout-delve}
        spec:
          target: {podName: %s, container: app, processName: demo-service}
          captures:
            - {kind: Snapshot, location: main.sleepFor, maxHits: 2, loadLocals: true}
            - {kind: Goroutines, source: Delve}
          pauseBudget: 2s
          timeout: 3m
        """.formatted(pod);
  }

  /** The sidecar exits after its final report, which is what ends the session: give it a moment. */
  private Pod awaitDebuggerExit(String namespace, String pod) {
    return client.pods().inNamespace(namespace).withName(pod).waitUntilCondition(p -> p.getStatus()
        .getEphemeralContainerStatuses().stream().allMatch(s -> s.getState().getTerminated() != null), 60, TimeUnit.SECONDS);
  }

  private TracedTraffic start(TracedTraffic load) {
    traffic.add(load);
    return load;
  }

  private DebugSession runSession(String namespace, String yaml) {
    DebugSession session = client.resources(DebugSession.class)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).item();
    long started = System.nanoTime();
    client.resources(DebugSession.class).inNamespace(namespace).resource(session).create();
    String name = session.getMetadata().getName();
    DebugSession done = client.resources(DebugSession.class).inNamespace(namespace).withName(name).waitUntilCondition(
        s -> s != null && s.getStatus() != null
            && (s.getStatus().getPhase() == SessionPhase.Succeeded || s.getStatus().getPhase() == SessionPhase.Failed),
        SESSION_WAIT.toSeconds(), TimeUnit.SECONDS);
    System.out.printf("[e2e] %s/%s: applied -> %s in %d ms%n", namespace, name, done.getStatus().getPhase(),
        (System.nanoTime() - started) / 1_000_000);
    return done;
  }

  /** Everything a failure message needs: the session's status and the node's side of the story. */
  private String describe(DebugSession session) {
    StringBuilder text = new StringBuilder(client.getKubernetesSerialization().asYaml(session.getStatus()));
    for (TargetStatus target : session.getStatus().getTargets() == null ? List.<TargetStatus>of() : session.getStatus().getTargets()) {
      if (target.getDebuggerContainer() != null) {
        text.append("\n--- debugger container ").append(target.getPod()).append('/').append(target.getDebuggerContainer())
            .append('\n').append(containerLog(session.getMetadata().getNamespace(), target.getPod(), target.getDebuggerContainer()));
      }
    }
    return text.append("\n--- operator\n").append(operatorLog()).append("\n--- kubelet\n").append(node.logTail("kubelet", 20))
        .toString();
  }

  private String containerLog(String namespace, String pod, String container) {
    try {
      return client.pods().inNamespace(namespace).withName(pod).inContainer(container).tailingLines(60).getLog();
    } catch (RuntimeException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private String operatorLog() {
    try {
      return client.apps().deployments().inNamespace("gopherscope-system").withName("gopherscope-operator")
          .tailingLines(40).getLog();
    } catch (RuntimeException e) {
      return "(no operator log: " + e.getMessage() + ")";
    }
  }

  /** Running pods of the checkout Deployment, name to IP. */
  private Map<String, String> podIps(String namespace) {
    Map<String, String> ips = new LinkedHashMap<>();
    for (Pod pod : client.pods().inNamespace(namespace).withLabel("app", "checkout").list().getItems()) {
      if ("Running".equals(pod.getStatus().getPhase()) && pod.getMetadata().getDeletionTimestamp() == null) {
        ips.put(pod.getMetadata().getName(), pod.getStatus().getPodIP());
      }
    }
    assertThat(ips).as("running checkout pods in %s", namespace).hasSize(2);
    return ips;
  }

  private byte[] download(Artifact artifact) {
    String uri = artifact.getUri();
    assertThat(uri).startsWith("s3://");
    String path = uri.substring("s3://".length());
    int slash = path.indexOf('/');
    return s3Client.getObjectAsBytes(r -> r.bucket(path.substring(0, slash)).key(path.substring(slash + 1))).asByteArray();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String projectVersion() {
    return DebugSession.class.getPackage().getImplementationVersion() != null
        ? DebugSession.class.getPackage().getImplementationVersion() : "0.1.0-SNAPSHOT";
  }

  /**
   * The demo service as users ship it: FROM scratch, running as a non-root user, pprof on the
   * pod's loopback only, app port on the pod network. In the restricted namespace the pod also
   * requires runAsNonRoot, as that level demands; that pod can only be debugged without Delve.
   */
  private static Deployment checkout(boolean restricted) {
    return new DeploymentBuilder().withNewMetadata().withName("checkout").endMetadata()
        .withNewSpec().withReplicas(2)
        .withNewSelector().addToMatchLabels("app", "checkout").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "checkout").endMetadata()
        .withNewSpec()
        .withNewSecurityContext().withRunAsNonRoot(restricted ? true : null).withRunAsUser(65532L)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .addNewContainer().withName("app").withImage("gopherscope/demo-service:e2e").withImagePullPolicy("Never")
        .withArgs("-addr", "0.0.0.0:8080", "-pprof-addr", "127.0.0.1:6060")
        .addNewPort().withContainerPort(8080).endPort()
        // Room for the debugger inside the limit: pre-flight counts the requests (no metrics API here).
        .withNewResources().addToRequests("memory", new Quantity("64Mi")).addToLimits("memory", new Quantity("512Mi"))
        .endResources()
        .withNewSecurityContext().withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
        .endContainer().endSpec().endTemplate().endSpec().build();
  }
}
