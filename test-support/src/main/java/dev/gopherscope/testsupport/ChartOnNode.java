package dev.gopherscope.testsupport;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * gopherscope as users install it, on the {@link LocalNode}: the chart installed by the real helm
 * with the operator running as a container of its Deployment, and the Go demo service deployed as
 * users ship it. The object store is an s3proxy on the host, which the operator and the debugger
 * containers reach over the node's network at {@link LocalNode#HOST_ADDRESS}, as they would reach
 * any S3 endpoint outside the cluster. Shared by the end-to-end test, {@code make demo} and the
 * node benchmark, so that all three exercise one installation.
 */
public final class ChartOnNode implements AutoCloseable {

  public static final String RELEASE_NAMESPACE = "gopherscope-system";
  /** The demo service's image, imported by {@code testenv/node.sh} (built by testenv/build-node.sh). */
  public static final String DEMO_IMAGE = "gopherscope/demo-service:e2e";
  /** The demo as most production images carry it: stripped ({@link TestEnvironment#strippedDemoService()}). */
  public static final String STRIPPED_DEMO_IMAGE = "gopherscope/demo-service:e2e-stripped";
  public static final String DEMO_APP = "checkout";

  private final LocalNode node;
  private final KubernetesClient client;
  private final S3Client s3Client;
  private final long installMillis;

  private ChartOnNode(LocalNode node, S3Server s3, long installMillis) {
    this.node = node;
    this.client = node.newClient();
    this.s3Client = s3.newClient();
    this.installMillis = installMillis;
  }

  /**
   * {@code helm install --wait} of this repository's chart with its defaults, plus the image tag and
   * the object store; returns once the operator's Deployment is Ready.
   *
   * @throws IllegalStateException with helm's output and the kubelet's log when it fails
   */
  public static ChartOnNode install(LocalNode node, S3Server s3) {
    String imageTag = imageTag();
    long started = System.nanoTime();
    HelmCli.Result installed = HelmCli.pinned().run(List.of("install", "gopherscope", HelmCli.chart().toString(),
        "-n", RELEASE_NAMESPACE, "--create-namespace", "--kubeconfig", node.kubeconfig().toString(),
        "--wait", "--timeout", "3m",
        "--set", "image.tag=" + imageTag, "--set", "sidecar.image.tag=" + imageTag,
        // Off unless a test turns it on; then the s3proxy image imported next to the other two.
        "--set", "objectStore.embedded.image.tag=" + imageTag,
        // No cluster DNS on this node: the sidecar reaches the API server at the kubernetes Service's ClusterIP.
        "--set", "sidecar.apiServer=" + LocalNode.IN_CLUSTER_API_SERVER,
        "--set", "objectStore.endpoint=" + s3.endpoint(),
        "--set", "objectStore.credentials.create=true",
        "--set", "objectStore.credentials.accessKey=" + s3.accessKey(),
        "--set", "objectStore.credentials.secretKey=" + s3.secretKey()));
    if (!installed.ok()) {
      throw new IllegalStateException(installed.describe() + "\n--- kubelet\n" + node.logTail("kubelet", 30));
    }
    return new ChartOnNode(node, s3, (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * {@code helm upgrade --reuse-values --wait} of the release with {@code values} ({@code key=value},
   * as {@code --set} takes them); returns how long it took.
   *
   * @throws IllegalStateException with helm's output and the kubelet's log when it fails
   */
  public long upgrade(String... values) {
    List<String> args = new ArrayList<>(List.of("upgrade", "gopherscope", HelmCli.chart().toString(),
        "-n", RELEASE_NAMESPACE, "--kubeconfig", node.kubeconfig().toString(), "--reuse-values", "--wait", "--timeout", "3m"));
    for (String value : values) {
      args.add("--set");
      args.add(value);
    }
    long started = System.nanoTime();
    HelmCli.Result upgraded = HelmCli.pinned().run(args);
    if (!upgraded.ok()) {
      throw new IllegalStateException(upgraded.describe() + "\n--- kubelet\n" + node.logTail("kubelet", 30));
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** The tag {@code make image-tars} gives the images: the project's version. */
  static String imageTag() {
    return TestEnvironment.get().projectVersion();
  }

  /** How long {@code helm install --wait} took, image start of the operator included. */
  public long installMillis() {
    return installMillis;
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * A namespace at the given Pod Security level ({@code restricted}, {@code baseline},
   * {@code privileged}) with the demo service as a Deployment named {@code name} (label
   * {@code app=name}), waited for until all replicas are Ready.
   *
   * <p>The demo runs as users ship it: FROM scratch, as a non-root user, pprof on the pod's
   * loopback only, the app port on the pod network. At the restricted level the pod also requires
   * runAsNonRoot, as that level demands; such a pod can only be debugged without Delve.
   *
   * @param demoArgs extra flags for the demo service (e.g. {@code -idle 40000})
   */
  public void deployDemo(String namespace, String podSecurityLevel, String name, int replicas, List<String> demoArgs) {
    deployDemo(namespace, podSecurityLevel, name, DEMO_IMAGE, replicas, demoArgs);
  }

  /** As above, from another build of the demo, e.g. {@link #STRIPPED_DEMO_IMAGE}. */
  public void deployDemo(String namespace, String podSecurityLevel, String name, String image, int replicas,
      List<String> demoArgs) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
        .addToLabels("pod-security.kubernetes.io/enforce", podSecurityLevel).endMetadata().build()).serverSideApply();
    boolean restricted = podSecurityLevel.equals("restricted");
    List<String> args = new ArrayList<>(List.of("-addr", "0.0.0.0:8080", "-pprof-addr", "127.0.0.1:6060"));
    args.addAll(demoArgs);
    Deployment deployment = new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec()
        .withNewSecurityContext().withRunAsNonRoot(restricted ? true : null).withRunAsUser(65532L)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .addNewContainer().withName("app").withImage(image).withImagePullPolicy("Never")
        .withArgs(args)
        .addNewPort().withContainerPort(8080).endPort()
        // Room for the debugger inside the limit: pre-flight counts the requests (no metrics API here).
        .withNewResources().addToRequests("memory", new Quantity("64Mi")).addToLimits("memory", new Quantity("512Mi"))
        .endResources()
        .withNewSecurityContext().withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
        .endContainer().endSpec().endTemplate().endSpec().build();
    client.apps().deployments().inNamespace(namespace).resource(deployment).serverSideApply();
  }

  /** Waits until the Deployment {@code name} has all its replicas Ready. */
  public void awaitReady(String namespace, String name, Duration timeout) {
    try {
      client.apps().deployments().inNamespace(namespace).withName(name).waitUntilCondition(d -> d != null
          && d.getStatus() != null && d.getSpec().getReplicas().equals(d.getStatus().getReadyReplicas()),
          timeout.toSeconds(), TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      throw new IllegalStateException("deployment " + namespace + "/" + name + " not ready within " + timeout.toSeconds()
          + " s: " + e.getMessage() + "\n--- kubelet\n" + node.logTail("kubelet", 30), e);
    }
  }

  /** The running, not terminating, pods labelled {@code app=name}: pod name to pod IP. */
  public Map<String, String> runningPods(String namespace, String name) {
    Map<String, String> ips = new LinkedHashMap<>();
    for (Pod pod : client.pods().inNamespace(namespace).withLabel("app", name).list().getItems()) {
      if ("Running".equals(pod.getStatus().getPhase()) && pod.getMetadata().getDeletionTimestamp() == null) {
        ips.put(pod.getMetadata().getName(), pod.getStatus().getPodIP());
      }
    }
    return ips;
  }

  /** Puts {@code file} into the object store at {@code s3://bucket/key}, as a user's CI pipeline would. */
  public void upload(String bucket, String key, Path file) {
    s3Client.putObject(r -> r.bucket(bucket).key(key), file);
  }

  /** The bytes behind an artifact's {@code s3://bucket/key} URI, from the object store. */
  public byte[] download(String uri) {
    if (!uri.startsWith("s3://") || uri.indexOf('/', "s3://".length()) < 0) {
      throw new IllegalArgumentException("not an s3://bucket/key URI: " + uri);
    }
    String path = uri.substring("s3://".length());
    int slash = path.indexOf('/');
    return s3Client.getObjectAsBytes(r -> r.bucket(path.substring(0, slash)).key(path.substring(slash + 1)))
        .asByteArray();
  }

  /** The last lines of a container's log, or why there is none. */
  public String containerLog(String namespace, String pod, String container, int lines) {
    try {
      return client.pods().inNamespace(namespace).withName(pod).inContainer(container).tailingLines(lines).getLog();
    } catch (RuntimeException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The last lines of the operator's log, or why there is none. */
  public String operatorLog(int lines) {
    try {
      return client.apps().deployments().inNamespace(RELEASE_NAMESPACE).withName("gopherscope-operator")
          .tailingLines(lines).getLog();
    } catch (RuntimeException e) {
      return "(no operator log: " + e.getMessage() + ")";
    }
  }

  /** Closes the clients; the node and the object store belong to the caller. */
  @Override
  public void close() {
    s3Client.close();
    client.close();
  }
}
