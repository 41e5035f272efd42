package dev.gopherscope.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.operator.OperatorMain;
import dev.gopherscope.operator.SessionNames;
import dev.gopherscope.operator.config.OperatorConfigLoader;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.HelmCli;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.S3Server;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's RBAC is enough, and is what the operator really uses: the real operator runs as the
 * chart's ServiceAccount (by impersonation, with only the chart's ClusterRole and leader-election
 * Role) through a session's whole life: finalizer, target resolution, pre-flight, per-session
 * identity and token, injection, status, events, expiry after its TTL, and cleanup; and its
 * leader-election lease is taken and renewed as JOSDK does it. A verb the chart lacks shows up as
 * a session that never reaches the next step or never goes away.
 */
@ExtendWith(RealComponentsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorRbacIT {

  private static final String RELEASE = "rbac-it";
  private static final String RELEASE_NAMESPACE = "rbac-it-system";
  private static final String OPERATOR_SA = "rbac-it-gopherscope-operator";
  private static final String LEASE = "gopherscope-operator";

  private List<HasMetadata> rbac;

  @BeforeAll
  void installTheChartsRbac(KubernetesClient admin) {
    DebugSessionCrd.install(admin);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(RELEASE_NAMESPACE).endMetadata()
        .build()).serverSideApply();
    rbac = RenderedChart.render(HelmCli.pinned(), admin, RELEASE, RELEASE_NAMESPACE,
        "--show-only", "templates/serviceaccount.yaml", "--show-only", "templates/rbac.yaml").objects();
    assertThat(rbac).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole",
        "ClusterRoleBinding", "Role", "RoleBinding");
    rbac.forEach(o -> admin.resource(o).fieldManager("operator-rbac-it").forceConflicts().serverSideApply());
  }

  @AfterAll
  void removeIt(KubernetesClient admin) {
    rbac.forEach(o -> admin.resource(o).delete());
  }

  /**
   * With leader election on, as the chart deploys it: the operator must take the lease with the
   * chart's leader-election Role before it reconciles anything. (It stops leading without exiting
   * the JVM, see OperatorMain.) {@link #leaseCanBeTakenAndRenewedWithTheChartsRole} looks at the
   * lease verbs one by one.
   */
  @Test
  void operatorRunsASessionEndToEndWithOnlyTheChartsPermissions(KubernetesApiServer server, KubernetesClient admin,
      S3Server s3) throws Exception {
    String namespace = "rbac-shop";
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    try (KubeletStandIn kubelet = new KubeletStandIn(admin);
        KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(operatorIdentity(server)).build();
        OperatorMain operator = OperatorMain.start(OperatorConfigLoader.load(Map.ofEntries(
            Map.entry("GOPHERSCOPE_LEADER_ELECTION_NAMESPACE", RELEASE_NAMESPACE),
            Map.entry("GOPHERSCOPE_S3_ENDPOINT", s3.endpoint().toString()),
            Map.entry("GOPHERSCOPE_S3_ACCESS_KEY", s3.accessKey()),
            Map.entry("GOPHERSCOPE_S3_SECRET_KEY", s3.secretKey()),
            Map.entry("GOPHERSCOPE_S3_BUCKET", "gopherscope-rbac-it"),
            Map.entry("GOPHERSCOPE_SIDECAR_API_SERVER", server.serverUrl()),
            Map.entry("GOPHERSCOPE_SIDECAR_API_CA", server.caPem()),
            // A debugger that exits at once without a report: the session fails, which is all this
            // test needs, since what is checked here is what the operator may do, not captures.
            Map.entry("GOPHERSCOPE_SIDECAR_COMMAND", "true"),
            Map.entry("GOPHERSCOPE_SIDECAR_REPORT_DEADLINE", "5s"),
            Map.entry("GOPHERSCOPE_METRICS_PORT", "0"))), asOperator)) {
      Pod pod = kubelet.runPod(KubeletStandIn.pod(namespace, "checkout-0", "app", Map.of("app", "checkout")));

      DebugSession created = admin.resources(DebugSession.class).inNamespace(namespace).resource(
          admin.resources(DebugSession.class).load(new ByteArrayInputStream("""
              apiVersion: gopherscope.dev/v1alpha1
              kind: DebugSession
              metadata: {name: rbac}
              spec:
                target: {selector: {matchLabels: {app: checkout}}, container: app}
                pprof: {port: 6060}
                captures:
                  - {kind: Goroutines}
                ttlSecondsAfterFinished: 8
              """.getBytes(StandardCharsets.UTF_8))).item()).create();
      String base = SessionNames.base(created);

      DebugSession injected = admin.resources(DebugSession.class).inNamespace(namespace).withName("rbac")
          .waitUntilCondition(s -> s != null && s.getStatus() != null && s.getStatus().getTargets() != null
              && s.getStatus().getTargets().stream().anyMatch(t -> t.getInjectionTime() != null), 60, TimeUnit.SECONDS);
      assertThat(injected.getMetadata().getFinalizers()).as("finalizer added by the operator").isNotEmpty();
      assertThat(admin.leases().inNamespace(RELEASE_NAMESPACE).withName(LEASE).get().getSpec().getHolderIdentity())
          .as("the operator reconciles as the lease holder").isNotBlank();
      assertThat(admin.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get().getSpec()
          .getEphemeralContainers()).extracting(c -> c.getName()).containsExactly(base);
      assertThat(admin.serviceAccounts().inNamespace(namespace).withName(base).get()).isNotNull();
      assertThat(admin.rbac().roles().inNamespace(namespace).withName(base).get()).isNotNull();
      assertThat(admin.rbac().roleBindings().inNamespace(namespace).withName(base).get()).isNotNull();
      Secret secret = admin.secrets().inNamespace(namespace).withName(SessionNames.targetSecret(created, "checkout-0")).get();
      assertThat(secret.getData()).as("the target Secret carries a bound token").containsKey(SidecarEnvironment.TOKEN_KEY);

      DebugSession failed = admin.resources(DebugSession.class).inNamespace(namespace).withName("rbac")
          .waitUntilCondition(s -> s == null || s.getStatus() != null && s.getStatus().getPhase() == SessionPhase.Failed,
              60, TimeUnit.SECONDS);
      if (failed != null) {
        assertThat(failed.getStatus().getMessage()).as("failed for lack of a report, not of a permission")
            .doesNotContainIgnoringCase("forbidden").doesNotContain("403");
      }
      List<Event> events = admin.v1().events().inNamespace(namespace).list().getItems();
      assertThat(events).extracting(Event::getReason).contains("Injected", "DebuggerInjected");

      // Expiry after the TTL deletes the session; cleanup removes what it created, then the finalizer.
      admin.resources(DebugSession.class).inNamespace(namespace).withName("rbac")
          .waitUntilCondition(s -> s == null, 60, TimeUnit.SECONDS);
      assertThat(admin.serviceAccounts().inNamespace(namespace).withName(base).get()).isNull();
      assertThat(admin.rbac().roles().inNamespace(namespace).withName(base).get()).isNull();
      assertThat(admin.rbac().roleBindings().inNamespace(namespace).withName(base).get()).isNull();
      assertThat(admin.secrets().inNamespace(namespace).withLabel(SessionNames.SESSION_LABEL, "rbac").list().getItems())
          .isEmpty();

      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + operator.metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics.lines().filter(l -> l.startsWith("gopherscope_reconcile_errors_total")))
          .as("reconciles that threw (a 403 would)").containsExactly("gopherscope_reconcile_errors_total 0.0");
    } finally {
      // The lease test takes the same lease; it must not wait out this operator's.
      admin.leases().inNamespace(RELEASE_NAMESPACE).withName(LEASE).delete();
    }
  }

  /**
   * The lease as the operator takes it: JOSDK first asks the API server which lease verbs it has
   * (a SelfSubjectRulesReview wanting get, create and update on the named lease), then fabric8's
   * LeaderElector creates the lease and renews it by patch, with JOSDK's timings.
   */
  @Test
  void leaseCanBeTakenAndRenewedWithTheChartsRole(KubernetesApiServer server, KubernetesClient admin)
      throws Exception {
    try (KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(operatorIdentity(server)).build()) {
      SelfSubjectRulesReview review = asOperator.authorization().v1().selfSubjectRulesReview()
          .create(new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(RELEASE_NAMESPACE).endSpec().build());
      List<String> leaseVerbs = review.getStatus().getResourceRules().stream()
          .filter(r -> r.getApiGroups().contains("coordination.k8s.io") && r.getResources().contains("leases"))
          .filter(r -> r.getResourceNames() == null || r.getResourceNames().isEmpty()
              || r.getResourceNames().contains(LEASE))
          .flatMap(r -> r.getVerbs().stream()).toList();
      assertThat(leaseVerbs).as("what JOSDK checks before it starts").contains("get", "create", "update");

      CountDownLatch leading = new CountDownLatch(1);
      ExecutorService executor = Executors.newCachedThreadPool();
      LeaderElector elector = new LeaderElectorBuilder(asOperator, executor).withConfig(new LeaderElectionConfig(
          new LeaseLock(RELEASE_NAMESPACE, LEASE, "rbac-it-replica"),
          LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
          LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
          LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
          new LeaderCallbacks(leading::countDown, () -> { }, leader -> { }), false, LEASE)).build();
      CompletableFuture<?> running = elector.start();
      try {
        assertThat(leading.await(30, TimeUnit.SECONDS)).as("became leader").isTrue();
        Lease taken = admin.leases().inNamespace(RELEASE_NAMESPACE).withName(LEASE).get();
        assertThat(taken.getSpec().getHolderIdentity()).isEqualTo("rbac-it-replica");
        Lease renewed = admin.leases().inNamespace(RELEASE_NAMESPACE).withName(LEASE).waitUntilCondition(
            l -> l.getSpec().getRenewTime().isAfter(taken.getSpec().getRenewTime()), 30, TimeUnit.SECONDS);
        assertThat(renewed.getSpec().getHolderIdentity()).as("renewed by the same holder").isEqualTo("rbac-it-replica");
        assertThat(running).as("the elector is still leading, not failing").isNotDone();
      } finally {
        running.cancel(true);
        executor.shutdownNow();
        admin.leases().inNamespace(RELEASE_NAMESPACE).withName(LEASE).delete();
      }
    }
  }

  /** The chart's ServiceAccount as the API server sees a pod running as it. */
  private static Config operatorIdentity(KubernetesApiServer server) {
    Config config = Config.fromKubeconfig(server.kubeconfigYaml());
    config.setImpersonateUsername("system:serviceaccount:" + RELEASE_NAMESPACE + ":" + OPERATOR_SA);
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + RELEASE_NAMESPACE,
        "system:authenticated");
    return config;
  }
}
