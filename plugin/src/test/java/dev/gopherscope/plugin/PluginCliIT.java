package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.PluginCli;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The plugin as a process against the real API server: dry runs, files, ls/get, and every error a person can meet. */
@ExtendWith(RealComponentsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginCliIT {

  private static final String NS = "plugin-cli";
  private KubernetesApiServer server;
  private KubernetesClient client;
  private KubeletStandIn kubelet;
  private PluginCli cli;
  private PluginScenarios scenarios;

  @BeforeAll
  void cluster(KubernetesApiServer server, KubernetesClient client) throws Exception {
    this.server = server;
    this.client = client;
    DebugSessionCrd.install(client);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
    kubelet = new KubeletStandIn(client);
    kubelet.runPod(KubeletStandIn.pod(NS, "checkout-0", "app", Map.of("app", "checkout")));
    client.resource(Workloads.deployment(NS, "checkout", "checkout")).serverSideApply();
    client.resource(new StatefulSetBuilder().withNewMetadata().withName("ledger").withNamespace(NS).endMetadata()
        .withNewSpec().withServiceName("ledger").withNewSelector().addToMatchLabels("app", "ledger").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "ledger").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example.invalid/ledger:1").endContainer().endSpec()
        .endTemplate().endSpec().build()).serverSideApply();
    Path work = Files.createDirectories(Path.of("target", "plugin-cli-it").toAbsolutePath());
    cli = new PluginCli(PluginCli.builtLauncher(), server.kubeconfigFile(), work, Map.of());
    scenarios = new PluginScenarios(cli, client);
  }

  @AfterAll
  void stop() {
    kubelet.close();
  }

  @Test
  void everyVerbAnswersHelp() {
    scenarios.everyVerbHasHelp();
  }

  @Test
  void dryRunShowsTheSessionForEveryTargetForm() {
    scenarios.dryRunShowsTheSessionForEachTargetForm(NS, "checkout-0", "checkout", "ledger");
  }

  @Test
  void runFromAFileThenListAndGet() throws Exception {
    Path file = cli.workDir().resolve("trace-stacks.yaml");
    Files.writeString(file, Files.readString(TestEnvironment.get().repoRoot().resolve("examples/sessions/trace-stacks.yaml")));
    scenarios.runFromFileThenListAndGet(NS, file, "checkout-slow-trace");
  }

  @Test
  void missingTargetsAndSessionsAreOneLineErrors() {
    scenarios.missingThingsAreOneLineErrors(NS);
    scenarios.theApiServersRefusalIsOneLine(NS, "checkout-0");
  }

  @Test
  void aUserWithoutCreateIsToldWhichVerbIsMissing() throws Exception {
    client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("viewer")
        .endMetadata().build()).serverSideApply();
    client.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("viewer").endMetadata()
        .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get", "list").build())
        .addToRules(new PolicyRuleBuilder().withApiGroups("gopherscope.dev").withResources("debugsessions")
            .withVerbs("get", "list").build())
        .build()).serverSideApply();
    client.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata().withName("viewer")
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "viewer")
        .addNewSubject().withKind("ServiceAccount").withName("viewer").withNamespace(NS).endSubject().build())
        .serverSideApply();
    String token = client.serviceAccounts().inNamespace(NS).withName("viewer").tokenRequest(new TokenRequestBuilder()
        .withNewSpec().withExpirationSeconds(600L).endSpec().build()).getStatus().getToken();
    Path kubeconfig = userKubeconfig("viewer", token);
    // The API server accepts a new ServiceAccount's token once its cache has the account; until then
    // it answers 401. HTTP/1.1, as the plugin speaks it, so that the 401 is seen (see above).
    Config viewerConfig = Config.fromKubeconfig(Files.readString(kubeconfig));
    viewerConfig.setHttp2Disable(true);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (KubernetesClient viewer = new KubernetesClientBuilder().withConfig(viewerConfig).build()) {
      while (true) {
        try {
          viewer.pods().inNamespace(NS).withName("checkout-0").get();
          break;
        } catch (KubernetesClientException notYet) {
          if (notYet.getCode() != 401 || System.nanoTime() > deadline) {
            throw notYet;
          }
          Thread.sleep(200);
        }
      }
    }
    scenarios.forbiddenNamesTheMissingVerb(cli.withKubeconfig(kubeconfig), NS, "checkout-0",
        "system:serviceaccount:" + NS + ":viewer");
  }

  @Test
  void aRefusedCredentialIsSaidAsSuch() throws Exception {
    // Over HTTP/2 the API server follows this 401 with a GOAWAY, which the JDK's client reported
    // instead of the 401 ("GOAWAY received") until the plugin spoke HTTP/1.1.
    Path kubeconfig = userKubeconfig("expired", "not-a-token-the-api-server-issued");
    PluginScenarios.expectError(cli.withKubeconfig(kubeconfig).run("goroutines", "pod/checkout-0", "-n", NS),
        "error: the API server did not accept your credentials (401 Unauthorized); check your kubeconfig's user");
  }

  private Path userKubeconfig(String user, String token) throws Exception {
    Path kubeconfig = cli.workDir().resolve(user + ".kubeconfig");
    // One substitution pass: a token is base64 and may well contain "NS" or "CA", which a chain of
    // replace() calls rewrote (a corrupted token, refused now and then: this test's old flake).
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: it, cluster: {server: "%1$s", certificate-authority-data: "%2$s"}}]
        users: [{name: %3$s, user: {token: "%4$s"}}]
        contexts: [{name: %3$s, context: {cluster: it, user: %3$s, namespace: %5$s}}]
        current-context: %3$s
        """.formatted(server.serverUrl(),
        Base64.getEncoder().encodeToString(server.caPem().getBytes(StandardCharsets.US_ASCII)), user, token, NS));
    return kubeconfig;
  }

  @Test
  void theChartsStoreIsFoundThroughTheApiServerOrTheReasonSaid() {
    DebugSession session = new KubernetesSerialization().unmarshal("""
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: finished, namespace: NS}
        spec:
          target: {podName: checkout-0}
          captures: [{kind: Goroutines}]
        """.replace("NS", NS), DebugSession.class);
    session = client.resources(DebugSession.class).inNamespace(NS).resource(session).create();
    Artifact artifact = new Artifact();
    artifact.setName("goroutines-1.json");
    artifact.setPod("checkout-0");
    artifact.setUri("s3://gopherscope/" + NS + "/finished/uid/checkout-0/goroutines-1.json");
    artifact.setSha256("0".repeat(64));
    artifact.setBytes(10L);
    DebugSessionStatus status = new DebugSessionStatus();
    status.setPhase(SessionPhase.Succeeded);
    status.setArtifacts(List.of(artifact));
    session.setStatus(status);
    client.resources(DebugSession.class).inNamespace(NS).resource(session).updateStatus();

    String release = "plugin-cli-chart";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(release).endMetadata().build())
        .serverSideApply();
    PluginScenarios.expectError(cli.run("get", "finished", "-n", NS, "--download", "--store", "chart",
        "--store-namespace", release), "error: no embedded object store in namespace " + release);

    // The chart's s3proxy, as helm renders it, but no kubelet runs its pod.
    client.secrets().inNamespace(release).resource(new SecretBuilder().withNewMetadata().withName("gs-object-store")
        .endMetadata().addToStringData("accessKey", "id").addToStringData("secretKey", "key").build()).serverSideApply();
    client.resource(new DeploymentBuilder().withNewMetadata().withName("gs-s3proxy").withNamespace(release)
        .addToLabels("app.kubernetes.io/component", "object-store").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "gs-s3proxy").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "gs-s3proxy").endMetadata()
        .withNewSpec().addNewContainer().withName("s3proxy").withImage("andrewgaul/s3proxy:s3proxy-4.1.0")
        .addNewPort().withName("s3").withContainerPort(8080).endPort()
        .addNewEnv().withName("S3PROXY_IDENTITY").withNewValueFrom().withNewSecretKeyRef("accessKey", "gs-object-store", false)
        .endValueFrom().endEnv()
        .addNewEnv().withName("S3PROXY_CREDENTIAL").withNewValueFrom().withNewSecretKeyRef("secretKey", "gs-object-store", false)
        .endValueFrom().endEnv()
        .endContainer().endSpec().endTemplate().endSpec().build()).serverSideApply();
    PluginScenarios.expectError(cli.run("get", "finished", "-n", NS, "--download", "--store", "chart",
        "--store-namespace", release), "error: object store unreachable: the embedded store's pod (gs-s3proxy in "
        + release + ") is not running");
  }

  @Test
  void withoutTheCrdItSaysGopherscopeIsNotInstalled() {
    // Sessions left with the operator's finalizer (by other ITs of this run) would hold the CRD's
    // deletion forever: no operator runs here to remove it.
    client.resources(DebugSession.class).inAnyNamespace().list().getItems().stream()
        .filter(s -> s.getMetadata().getFinalizers() != null && !s.getMetadata().getFinalizers().isEmpty())
        .forEach(s -> client.resources(DebugSession.class).inNamespace(s.getMetadata().getNamespace())
            .withName(s.getMetadata().getName()).edit(d -> {
              d.getMetadata().setFinalizers(List.of());
              return d;
            }));
    client.apiextensions().v1().customResourceDefinitions().withName(DebugSessionCrd.NAME).delete();
    client.apiextensions().v1().customResourceDefinitions().withName(DebugSessionCrd.NAME)
        .waitUntilCondition(crd -> crd == null, 60, TimeUnit.SECONDS);
    try {
      scenarios.withoutTheCrdItSaysNotInstalled(NS, "checkout-0");
    } finally {
      DebugSessionCrd.install(client);
    }
  }
}
