package dev.gopherscope.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.testsupport.HelmCli;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.RealComponentsExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart as a cluster admin meets it: it lints cleanly, its schema refuses bad values, its
 * objects are accepted by a real kube-apiserver, and {@code helm install} creates all of them.
 * There is no kubelet (nor controller-manager) here, so no operator pod ever runs; that is
 * checked and expected. {@code ClusterE2E} runs the operator for real on k3s.
 */
@ExtendWith(RealComponentsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelmChartIT {

  static final String CRD = "debugsessions.gopherscope.dev";
  /** Values that let the chart render everything it can (the Secret and the embedded s3proxy). */
  static final String[] EVERYTHING = {"--set", "objectStore.credentials.create=true",
      "--set", "objectStore.credentials.accessKey=it-access", "--set", "objectStore.credentials.secretKey=it-secret",
      "--set", "objectStore.embedded.enabled=true"};

  private HelmCli helm;

  @BeforeAll
  void helm() {
    helm = HelmCli.pinned();
  }

  @Test
  void lintPassesStrictly() {
    HelmCli.Result defaults = helm.run("lint", "--strict", HelmCli.chart().toString());
    assertThat(defaults.ok()).as(defaults.describe()).isTrue();
    assertThat(defaults.stdout()).as(defaults.describe()).contains("1 chart(s) linted, 0 chart(s) failed")
        .doesNotContain("[WARNING]", "[ERROR]");

    List<String> all = new ArrayList<>(List.of("lint", "--strict", HelmCli.chart().toString()));
    all.addAll(List.of(EVERYTHING));
    all.addAll(List.of("--set", "metrics.serviceMonitor.enabled=true", "--set", "replicas=3",
        "--set", "admissionPolicy.exemptNamespaces={kube-system}", "--set", "rbac.podMetrics=false"));
    HelmCli.Result everything = helm.run(all);
    assertThat(everything.ok()).as(everything.describe()).isTrue();
    assertThat(everything.stdout()).as(everything.describe()).doesNotContain("[WARNING]", "[ERROR]");
  }

  @Test
  void schemaRefusesBadValues() {
    Map<String, String> refusals = Map.of(
        "replicas=-1", "at '/replicas': minimum: got -1, want 0",
        "replicas=two", "at '/replicas': got string, want integer",
        "replicas=2,leaderElection.enabled=false", "at '/leaderElection/enabled': value must be true",
        "sessions.defaultPodSecurityLevel=open", "at '/sessions/defaultPodSecurityLevel': value must be one of",
        "sidecar.reportDeadline=2 minutes", "at '/sidecar/reportDeadline'",
        "objectStore.credentials.create=true", "at '/objectStore/credentials/accessKey': minLength",
        "replica=2", "additional properties 'replica' not allowed",
        "image.pullPolicy=Sometimes", "at '/image/pullPolicy': value must be one of");
    refusals.forEach((value, error) -> {
      HelmCli.Result result = helm.run("template", "gs", HelmCli.chart().toString(), "--set", value);
      assertThat(result.exitCode()).as("--set %s must be refused\n%s", value, result.describe()).isNotZero();
      assertThat(result.stderr()).as(result.describe())
          .contains("values don't meet the specifications of the schema(s)", error);
    });
  }

  @Test
  void renderedClusterRoleGrantsNoWildcardNorEscalation(KubernetesClient client) {
    ClusterRole role = RenderedChart.render(helm, client, "gs", "gs").single(ClusterRole.class);
    for (PolicyRule rule : role.getRules()) {
      assertThat(rule.getVerbs()).as("verbs of %s", rule).doesNotContain("*", "escalate", "bind", "impersonate");
      assertThat(rule.getResources()).as("resources of %s", rule).doesNotContain("*");
      assertThat(rule.getApiGroups()).as("api groups of %s", rule).doesNotContain("*");
      if (rule.getResources().contains("secrets")) {
        // Reading every Secret of the cluster is what list/watch would allow; the operator only
        // reads the ones it created, by name.
        assertThat(rule.getVerbs()).doesNotContain("list", "watch", "patch");
      }
    }
  }

  @Test
  void templateOutputIsAcceptedByTheRealApiServer(KubernetesClient client) {
    String namespace = "gs-template";
    RenderedChart chart = RenderedChart.render(helm, client, "gs-template", namespace,
        concat(EVERYTHING, "--include-crds"));
    assertThat(chart.objects()).extracting(HasMetadata::getKind).contains("CustomResourceDefinition", "Deployment",
        "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Secret",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");

    // CRD first (what the sessions need), then the namespace, then the rest.
    for (HasMetadata crd : chart.ofKind("CustomResourceDefinition")) {
      client.resource(crd).fieldManager("helm-chart-it").forceConflicts().serverSideApply();
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(HelmChartIT::established, 60, TimeUnit.SECONDS);
    }
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    List<HasMetadata> rest = chart.objects().stream().filter(o -> !"CustomResourceDefinition".equals(o.getKind())).toList();
    try {
      for (HasMetadata object : rest) {
        client.resource(object).fieldManager("helm-chart-it").forceConflicts().serverSideApply();
      }
      for (HasMetadata object : chart.objects()) {
        assertThat(client.resource(object).get()).as("%s %s read back from the API server", object.getKind(),
            object.getMetadata().getName()).isNotNull();
      }
    } finally {
      rest.forEach(o -> client.resource(o).delete());
    }
  }

  @Test
  void podsOfBothDeploymentsMeetTheRestrictedPodSecurityLevel(KubernetesClient client) {
    String namespace = "gs-restricted";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
        .addToLabels("pod-security.kubernetes.io/enforce-version", "latest").endMetadata().build()).serverSideApply();
    Pod careless = new PodBuilder().withNewMetadata().withName("careless").withNamespace(namespace).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example.invalid/app:1").endContainer().endSpec()
        .build();
    assertThatThrownBy(() -> client.pods().inNamespace(namespace).resource(careless).dryRun().create())
        .as("control: PodSecurity admission enforces 'restricted' in %s", namespace)
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"");

    List<Deployment> deployments = RenderedChart.render(helm, client, "gs-restricted", namespace, EVERYTHING)
        .ofKind("Deployment").stream().map(Deployment.class::cast).toList();
    assertThat(deployments).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("gs-restricted-gopherscope-operator", "gs-restricted-gopherscope-s3proxy");
    for (Deployment deployment : deployments) {
      PodTemplateSpec template = deployment.getSpec().getTemplate();
      Pod pod = new PodBuilder().withNewMetadata().withName(deployment.getMetadata().getName() + "-x")
          .withNamespace(namespace).withLabels(template.getMetadata().getLabels()).endMetadata()
          .withSpec(template.getSpec()).build();
      // A dry run goes through admission, PodSecurity included, and stores nothing.
      assertThat(client.pods().inNamespace(namespace).resource(pod).dryRun().create())
          .as("the API server admits a pod of %s under Pod Security 'restricted'", deployment.getMetadata().getName())
          .isNotNull();
    }
    client.namespaces().withName(namespace).delete();
  }

  @Test
  void helmInstallCreatesEveryObject(KubernetesApiServer server, KubernetesClient client) {
    String namespace = "gopherscope-system";
    String kubeconfig = server.kubeconfigFile().toString();
    // Helm installs a chart's CRDs only when they are absent; remove it to see this install create it.
    client.apiextensions().v1().customResourceDefinitions().withName(CRD).delete();
    client.apiextensions().v1().customResourceDefinitions().withName(CRD)
        .waitUntilCondition(crd -> crd == null, 60, TimeUnit.SECONDS);

    List<String> install = new ArrayList<>(List.of("install", "gopherscope", HelmCli.chart().toString(),
        "-n", namespace, "--create-namespace", "--kubeconfig", kubeconfig));
    install.addAll(List.of(EVERYTHING));
    HelmCli.Result installed = helm.run(install);
    try {
      assertThat(installed.ok()).as(installed.describe()).isTrue();
      assertThat(installed.stdout()).contains("STATUS: deployed", "kubectl -n NAMESPACE apply -f session.yaml",
          "kubectl auth can-i patch pods --subresource=ephemeralcontainers -n NAMESPACE");
      System.out.println("[e2e] helm install output:\n" + installed.stdout());

      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
      assertThat(crd).as("CRD %s created by helm install", CRD).isNotNull();
      assertThat(crd.getMetadata().getManagedFields()).extracting(f -> f.getManager()).contains("helm");
      assertThat(client.apps().deployments().inNamespace(namespace).withName("gopherscope-operator").get()).isNotNull();
      assertThat(client.apps().deployments().inNamespace(namespace).withName("gopherscope-s3proxy").get()).isNotNull();
      assertThat(client.serviceAccounts().inNamespace(namespace).withName("gopherscope-operator").get()).isNotNull();
      assertThat(client.rbac().clusterRoles().withName("gopherscope-operator").get()).isNotNull();
      assertThat(client.rbac().clusterRoleBindings().withName("gopherscope-operator").get()).isNotNull();
      assertThat(client.rbac().roles().inNamespace(namespace).withName("gopherscope-leader-election").get()).isNotNull();
      assertThat(client.rbac().roleBindings().inNamespace(namespace).withName("gopherscope-leader-election").get())
          .isNotNull();
      assertThat(client.services().inNamespace(namespace).withName("gopherscope-operator-metrics").get()).isNotNull();
      assertThat(client.services().inNamespace(namespace).withName("gopherscope-s3proxy").get()).isNotNull();
      assertThat(client.secrets().inNamespace(namespace).withName("gopherscope-object-store").get()).isNotNull();
      ValidatingAdmissionPolicy policy = client.admissionRegistration().v1().validatingAdmissionPolicies()
          .withName("gopherscope-debugsession-creator").get();
      assertThat(policy).isNotNull();
      assertThat(policy.getSpec().getValidations().get(0).getExpression())
          .contains("authorizer.group('').resource('pods').subresource('ephemeralcontainers')")
          .contains(".namespace(request.namespace).check('patch').allowed()");
      assertThat(client.admissionRegistration().v1().validatingAdmissionPolicyBindings()
          .withName("gopherscope-debugsession-creator").get().getSpec().getValidationActions()).containsExactly("Deny");

      assertThat(client.pods().inNamespace(namespace).list().getItems())
          .as("no kubelet or controller-manager in this test environment: the API server accepts the Deployments, "
              + "but no pod is created or runs (expected; ClusterE2E runs them on k3s)")
          .isEmpty();
      assertThat(client.apps().deployments().inNamespace(namespace).withName("gopherscope-operator").get()
          .getStatus()).as("no controller reports on the Deployment here (expected)")
          .satisfiesAnyOf(s -> assertThat(s).isNull(), s -> assertThat(s.getReadyReplicas()).isNull());

      assertOperatorIdentity(server, namespace);

      HelmCli.Result status = helm.run("status", "gopherscope", "-n", namespace, "--kubeconfig", kubeconfig);
      assertThat(status.stdout()).as(status.describe()).contains("STATUS: deployed");
    } finally {
      HelmCli.Result uninstalled = helm.run("uninstall", "gopherscope", "-n", namespace, "--kubeconfig", kubeconfig);
      assertThat(uninstalled.ok()).as(uninstalled.describe()).isTrue();
    }
    assertThat(client.rbac().clusterRoles().withName("gopherscope-operator").get()).as("removed by uninstall").isNull();
    assertThat(client.admissionRegistration().v1().validatingAdmissionPolicies()
        .withName("gopherscope-debugsession-creator").get()).as("removed by uninstall").isNull();
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName(CRD).get())
        .as("helm keeps CRDs on uninstall, so sessions and their artifacts' records survive").isNotNull();
  }

  /** What the bound ServiceAccount may do, asked of the API server's authorizer as that account. */
  private static void assertOperatorIdentity(KubernetesApiServer server, String namespace) {
    Config config = Config.fromKubeconfig(server.kubeconfigYaml());
    config.setImpersonateUsername("system:serviceaccount:" + namespace + ":gopherscope-operator");
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    try (KubernetesClient operator = new KubernetesClientBuilder().withConfig(config).build()) {
      assertThat(allowed(operator, "", "pods", "ephemeralcontainers", "patch", "shop", null)).isTrue();
      assertThat(allowed(operator, "gopherscope.dev", "debugsessions", "status", "patch", "shop", null)).isTrue();
      assertThat(allowed(operator, "", "serviceaccounts", "token", "create", "shop", null)).isTrue();
      assertThat(allowed(operator, "", "secrets", null, "deletecollection", "shop", null)).isTrue();
      assertThat(allowed(operator, "coordination.k8s.io", "leases", null, "patch", namespace, "gopherscope-operator"))
          .isTrue();
      assertThat(allowed(operator, "", "secrets", null, "list", "shop", null)).as("list secrets").isFalse();
      assertThat(allowed(operator, "", "pods", null, "update", "shop", null)).as("update pods").isFalse();
      assertThat(allowed(operator, "", "pods", "exec", "create", "shop", null)).as("exec into pods").isFalse();
      assertThat(allowed(operator, "rbac.authorization.k8s.io", "roles", null, "escalate", "shop", null))
          .as("escalate").isFalse();
      assertThat(allowed(operator, "rbac.authorization.k8s.io", "clusterroles", null, "bind", null, null))
          .as("bind").isFalse();
      assertThat(allowed(operator, "coordination.k8s.io", "leases", null, "patch", namespace, "someone-else"))
          .as("another lease").isFalse();
      assertThat(allowed(operator, "coordination.k8s.io", "leases", null, "create", "shop", null))
          .as("leases outside the release namespace").isFalse();
    }
  }

  private static boolean allowed(KubernetesClient client, String group, String resource, String subresource,
      String verb, String namespace, String name) {
    SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview()
        .create(new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
            .withGroup(group).withResource(resource).withSubresource(subresource).withVerb(verb)
            .withNamespace(namespace).withName(name).endResourceAttributes().endSpec().build());
    return review.getStatus().getAllowed();
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String[] concat(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
