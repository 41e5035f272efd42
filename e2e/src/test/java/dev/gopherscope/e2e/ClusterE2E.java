package dev.gopherscope.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.testsupport.HelmCli;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The whole product on a real cluster: k3s in Docker (Testcontainers), the chart installed with
 * the embedded object store, the Go demo service as the target, and a DebugSession that must end
 * Ready with its artifacts uploaded. The images are built elsewhere and named by system
 * properties; a machine without a Docker engine or without those images skips this test and says
 * so, it never passes silently.
 */
class ClusterE2E {

  static final String OPERATOR_IMAGE = "gopherscope.e2e.operatorImage";
  static final String SIDECAR_IMAGE = "gopherscope.e2e.sidecarImage";
  static final String DEMO_IMAGE = "gopherscope.e2e.demoImage";
  static final String K3S_IMAGE = "gopherscope.e2e.k3sImage";

  @Test
  void debugSessionSucceedsOnK3s() throws IOException {
    boolean docker = DockerClientFactory.instance().isDockerAvailable();
    skipUnless(docker, "no Docker engine on this machine (Testcontainers found none), so there is no k3s cluster: "
        + "the full DebugSession flow on a real cluster was NOT run");
    String operatorImage = System.getProperty(OPERATOR_IMAGE, "");
    String sidecarImage = System.getProperty(SIDECAR_IMAGE, "");
    String demoImage = System.getProperty(DEMO_IMAGE, "");
    skipUnless(!operatorImage.isBlank() && !sidecarImage.isBlank() && !demoImage.isBlank(),
        "the operator, sidecar and demo-service images are not named (-D" + OPERATOR_IMAGE + "=REPO:TAG -D"
            + SIDECAR_IMAGE + "=REPO:TAG -D" + DEMO_IMAGE + "=REPO:TAG, pullable by the cluster): "
            + "the full DebugSession flow on k3s was NOT run");

    try (K3sContainer k3s = new K3sContainer(DockerImageName.parse(k3sImage()).asCompatibleSubstituteFor("rancher/k3s"))) {
      k3s.start();
      Path kubeconfig = TestEnvironment.scratchDir("k3s").resolve("kubeconfig");
      Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
      HelmCli helm = HelmCli.pinned();
      HelmCli.Result installed = helm.run(installArgs(kubeconfig, operatorImage, sidecarImage));
      assertThat(installed.ok()).as(installed.describe()).isTrue();

      try (KubernetesClient client = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build()) {
        String namespace = "shop";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .serverSideApply();
        client.apps().deployments().inNamespace(namespace).resource(checkout(demoImage)).serverSideApply();
        client.apps().deployments().inNamespace(namespace).withName("checkout")
            .waitUntilCondition(d -> d != null && d.getStatus() != null
                && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()), 5, TimeUnit.MINUTES);

        DebugSession session = client.resources(DebugSession.class).load(new ByteArrayInputStream("""
            apiVersion: gopherscope.dev/v1alpha1
            kind: DebugSession
            metadata: {name: checkout-goroutines}
            spec:
              target:
                selector: {matchLabels: {app: checkout}}
                container: app
              pprof: {port: 6060}
              captures:
                - {kind: Goroutines, every: 2s, count: 2}
                - {kind: Heap}
            """.getBytes(StandardCharsets.UTF_8))).item();
        client.resources(DebugSession.class).inNamespace(namespace).resource(session).create();
        DebugSession done = client.resources(DebugSession.class).inNamespace(namespace).withName("checkout-goroutines")
            .waitUntilCondition(s -> s != null && s.getStatus() != null
                && s.getStatus().getPhase() != null && s.getStatus().getPhase().isFinal(),
                5, TimeUnit.MINUTES);
        assertThat(done.getStatus().getPhase()).as("session ended: %s", done.getStatus().getMessage())
            .isEqualTo(SessionPhase.Succeeded);
        assertThat(done.getStatus().getArtifacts()).as("artifacts uploaded").isNotEmpty();
      }
    }
  }

  private static List<String> installArgs(Path kubeconfig, String operatorImage, String sidecarImage) {
    List<String> args = new ArrayList<>(List.of("install", "gopherscope", HelmCli.chart().toString(),
        "-n", "gopherscope-system", "--create-namespace", "--kubeconfig", kubeconfig.toString(),
        "--wait", "--timeout", "5m"));
    args.addAll(imageValues("image", operatorImage));
    args.addAll(imageValues("sidecar.image", sidecarImage));
    args.addAll(List.of("--set", "objectStore.embedded.enabled=true", "--set", "objectStore.credentials.create=true",
        "--set", "objectStore.credentials.accessKey=e2e-access", "--set", "objectStore.credentials.secretKey=e2e-secret"));
    return args;
  }

  /** {@code --set} flags for an image reference REPO:TAG. */
  private static List<String> imageValues(String key, String reference) {
    int colon = reference.lastIndexOf(':');
    assertThat(colon).as("%s is REPO:TAG", reference).isGreaterThan(reference.lastIndexOf('/'));
    return List.of("--set", key + ".repository=" + reference.substring(0, colon),
        "--set", key + ".tag=" + reference.substring(colon + 1));
  }

  /** The Go demo service as a one-replica Deployment, pprof on the pod's loopback as the design expects. */
  private static Deployment checkout(String demoImage) {
    return new DeploymentBuilder().withNewMetadata().withName("checkout").endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewSelector().addToMatchLabels("app", "checkout").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "checkout").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(demoImage)
        .withArgs("-addr", "0.0.0.0:8080", "-pprof-addr", "127.0.0.1:6060")
        .addNewPort().withContainerPort(8080).endPort()
        .withNewResources().addToLimits("memory", new Quantity("512Mi")).endResources()
        .endContainer().endSpec().endTemplate().endSpec().build();
  }

  /** k3s of the pinned Kubernetes version unless {@value #K3S_IMAGE} names another. */
  private static String k3sImage() {
    return System.getProperty(K3S_IMAGE, "rancher/k3s:v" + TestEnvironment.get().kubernetesVersion() + "-k3s1");
  }

  /** Skips with the reason printed as well, so a skip is seen in the build log and not only in reports. */
  private static void skipUnless(boolean condition, String reason) {
    if (!condition) {
      System.out.println("[e2e] SKIPPED ClusterE2E: " + reason);
    }
    assumeTrue(condition, reason);
  }
}
