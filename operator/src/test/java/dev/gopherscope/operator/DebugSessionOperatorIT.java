package dev.gopherscope.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.ExecutionTraceResult;
import dev.gopherscope.api.v1alpha1.SessionCondition;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.TargetPhase;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.S3Server;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator against the real API server and object store; kubelet and sidecar played by local processes. */
@ExtendWith(RealComponentsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebugSessionOperatorIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private OperatorHarness harness;
  private KubernetesClient client;

  @BeforeAll
  void startOperator(KubernetesApiServer server, KubernetesClient client, S3Server s3) throws Exception {
    this.client = client;
    this.harness = new OperatorHarness(server, client, s3, Map.of());
  }

  @AfterAll
  void stopOperator() {
    harness.close();
  }


  private Pod runPod(String namespace, String name) {
    return harness.kubelet.runPod(KubeletStandIn.pod(namespace, name, "app", Map.of("app", "checkout")));
  }

  @Test
  void injectsOneDebuggerWithScopedCredentialsAndWalksToSucceeded() throws Exception {
    String ns = harness.namespace("op-happy");
    runPod(ns, "checkout-0");
    harness.apply(ns, OperatorHarness.session("checkout-slow", "checkout-0", "[{kind: Goroutines}, {kind: Heap}]", ""));

    DebugSession done = harness.awaitPhase(ns, "checkout-slow", SessionPhase.Succeeded, WAIT);

    Pod pod = client.pods().inNamespace(ns).withName("checkout-0").get();
    assertThat(pod.getSpec().getEphemeralContainers()).hasSize(1);
    EphemeralContainer debugger = pod.getSpec().getEphemeralContainers().get(0);
    String name = SessionNames.debuggerContainer(done);
    assertThat(debugger.getName()).isEqualTo(name).startsWith("gs-checkout-slow-");
    assertThat(debugger.getTargetContainerName()).isEqualTo("app");
    assertThat(debugger.getImage()).isEqualTo(harness.config.sidecarImage());
    assertThat(debugger.getCommand()).isEqualTo(harness.config.sidecarCommand());
    assertThat(debugger.getArgs()).containsExactly("run");
    // pprof-only: no capability, not root, restricted-compliant.
    assertThat(debugger.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(debugger.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(debugger.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(debugger.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    Map<String, EnvVar> env = envByName(debugger);
    assertThat(env.get(SidecarEnvironment.TOKEN).getValue()).isNull();
    assertThat(env.get(SidecarEnvironment.TOKEN).getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    assertThat(env.get(SidecarEnvironment.UPLOADS).getValueFrom().getSecretKeyRef().getName())
        .isEqualTo(SessionNames.targetSecret(done, "checkout-0"));
    SidecarPlan plan = readPlan(env.get(SidecarEnvironment.PLAN).getValue());
    assertThat(plan.pod()).isEqualTo("checkout-0");
    assertThat(plan.captures()).hasSize(2);
    assertThat(plan.needsDelve()).isFalse();

    // The finished session's token and upload URLs are revoked at once (their Secret is deleted).
    assertThat(client.secrets().inNamespace(ns).withName(SessionNames.targetSecret(done, "checkout-0")).get()).isNull();
    // No secret travels literally in the pod spec, the session's status or the events.
    Map<String, String> started = harness.kubelet.environmentOf(ns, "checkout-0", name);
    String token = started.get(SidecarEnvironment.TOKEN);
    String uploads = started.get(SidecarEnvironment.UPLOADS);
    assertThat(token).isNotBlank();
    String signature = uploads.replaceAll("(?s).*X-Amz-Signature=([0-9a-f]+).*", "$1");
    assertThat(signature).hasSize(64);
    var serialization = client.getKubernetesSerialization();
    for (String published : List.of(serialization.asJson(pod), serialization.asJson(done.getStatus()),
        serialization.asJson(client.v1().events().inNamespace(ns).list()))) {
      assertThat(published).doesNotContain(token).doesNotContain(harness.s3.secretKey()).doesNotContain(signature);
    }

    assertThat(client.serviceAccounts().inNamespace(ns).withName(SessionNames.serviceAccount(done)).get()).isNotNull();
    assertThat(client.rbac().roles().inNamespace(ns).withName(SessionNames.role(done)).get().getRules())
        .singleElement().satisfies(rule -> {
          assertThat(rule.getResources()).containsExactly("debugsessions/status");
          assertThat(rule.getResourceNames()).containsExactly("checkout-slow");
          assertThat(rule.getVerbs()).containsExactly("patch");
        });

    assertThat(done.getStatus().getTargetsSummary()).isEqualTo("1/1");
    assertThat(done.getStatus().getCapturesSummary()).isEqualTo("2/2");
    assertThat(done.getStatus().getTargets()).singleElement().satisfies(t -> {
      assertThat(t.getPhase()).isEqualTo(TargetPhase.Done);
      assertThat(t.getDebuggerContainer()).isEqualTo(name);
      assertThat(t.getReport().getPid()).isPositive();
      assertThat(t.getMessage()).contains("remains in the pod");
    });
    assertThat(done.getStatus().getResults().getTraceStacks()).singleElement()
        .satisfies(t -> assertThat(t.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736"));
    assertThat(done.getStatus().getArtifacts()).singleElement().satisfies(a -> {
      assertThat(a.getUri()).startsWith("s3://gopherscope-it/" + ns + "/checkout-slow/");
      assertThat(a.getSha256()).hasSize(64);
    });
    assertThat(conditions(done)).containsEntry("Ready", "True").containsEntry("Injected", "True")
        .containsEntry("DebuggerAttached", "True").containsEntry("Captured", "True").containsEntry("Uploaded", "True");
    assertThat(done.getStatus().getConditions()).allSatisfy(c ->
        assertThat(c.getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration()));

    String metrics = scrape("/metrics");
    assertThat(metrics).contains("gopherscope_sessions{phase=\"Succeeded\"}", "gopherscope_injections_total",
        "gopherscope_injection_latency_seconds", "operator_sdk_");
    assertThat(scrape("/readyz")).isEqualTo("ready");
  }

  @Test
  void executionTraceAndRuntimeHealthFiguresReachTheStatusThroughTheApiServersSchema() {
    String ns = harness.namespace("op-runtime");
    runPod(ns, "checkout-0");
    harness.apply(ns, OperatorHarness.session("runtime", "checkout-0",
        "[{kind: Goroutines}, {kind: ExecutionTrace, duration: 5s}, {kind: RuntimeHealth, duration: 10s}]", ""));

    DebugSession done = harness.awaitPhase(ns, "runtime", SessionPhase.Succeeded, WAIT);

    ExecutionTraceResult trace = done.getStatus().getResults().getExecutionTrace();
    assertThat(trace.getTargets()).isEqualTo(1);
    assertThat(trace.getGcPauses().getP99Us()).isEqualTo(2900);
    assertThat(trace.getSchedulerLatency().getCount()).isEqualTo(812);
    assertThat(trace.getMatched()).isEqualTo(2);
    assertThat(trace.getGoroutines()).extracting(g -> g.getPod() + "/" + g.getId() + " " + g.getBlockedOn())
        .containsExactly("checkout-0/29 preempted at crypto/sha256.Sum256",
            "checkout-0/30 chan receive at main.waitOnChannel");
    assertThat(trace.getGoroutines().get(0).getRunningMs()).isEqualTo(2531.25);
    assertThat(done.getStatus().getResults().getRuntimeHealth()).singleElement().satisfies(h -> {
      assertThat(h.getPod()).isEqualTo("checkout-0");
      assertThat(h.getGcPerMinute()).isEqualTo(36.0);
      assertThat(h.getHeapGoalBytes()).isEqualTo(4_194_304);
      assertThat(h.getGoroutinesPerProc()).isEqualTo(1006.0);
      assertThat(h.getSchedulerLatency().getP99Us()).isEqualTo(1187);
    });
  }

  private String scrape(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + harness.metricsPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void failsWithAClearMessageWhenTheSidecarNeverReports() {
    String ns = harness.namespace("op-silent");
    Pod pod = runPod(ns, "checkout-0");
    harness.kubelet.refuseToStart(pod);
    harness.apply(ns, OperatorHarness.session("never-reports", "checkout-0", "[{kind: Goroutines}]", ""));

    DebugSession failed = harness.awaitPhase(ns, "never-reports", SessionPhase.Failed, WAIT);
    assertThat(failed.getStatus().getTargets().get(0).getReason()).isEqualTo("SidecarNotReporting");
    assertThat(failed.getStatus().getMessage()).contains("has not reported within 6s").contains("ErrImagePull");
    assertThat(conditions(failed)).containsEntry("Ready", "False");
  }

  @Test
  void aFailingSidecarFailsTheSessionWithItsReason() {
    String ns = harness.namespace("op-fail");
    runPod(ns, "checkout-0");
    harness.apply(ns, OperatorHarness.session("fail-not-go", "checkout-0", "[{kind: Goroutines}]", ""));
    DebugSession failed = harness.awaitPhase(ns, "fail-not-go", SessionPhase.Failed, WAIT);
    assertThat(failed.getStatus().getTargets().get(0).getReason()).isEqualTo("NotAGoProcess");
    assertThat(failed.getStatus().getMessage()).contains("not a Go binary");
  }

  @Test
  void anOperatorRestartMidSessionNeverInjectsTwice() throws Exception {
    String ns = harness.namespace("op-restart");
    runPod(ns, "checkout-0");
    harness.apply(ns, OperatorHarness.session("slow-restart", "checkout-0", "[{kind: Goroutines}]", ""));
    harness.await(ns, "slow-restart", s -> s.getStatus() != null && s.getStatus().getTargets() != null
        && s.getStatus().getTargets().stream().anyMatch(t -> t.getInjectionTime() != null), WAIT);

    harness.stop();
    harness.start();

    harness.awaitPhase(ns, "slow-restart", SessionPhase.Succeeded, WAIT);
    assertThat(client.pods().inNamespace(ns).withName("checkout-0").get().getSpec().getEphemeralContainers()).hasSize(1);
  }

  @Test
  void aSelectorTakesTheNewestRunningPodsUpToMaxPods() {
    String ns = harness.namespace("op-selector");
    runPod(ns, "checkout-a");
    runPod(ns, "checkout-b");
    runPod(ns, "checkout-c");
    client.resource(KubeletStandIn.pod(ns, "checkout-pending", "app", Map.of("app", "checkout"))).create();
    harness.apply(ns, """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: by-selector}
        spec:
          target: {selector: {matchLabels: {app: checkout}}, container: app, maxPods: 2}
          pprof: {port: 6060}
          captures: [{kind: TraceStacks}]
        """);
    DebugSession done = harness.awaitPhase(ns, "by-selector", SessionPhase.Succeeded, WAIT);
    assertThat(done.getStatus().getTargets()).extracting(TargetStatus::getPod).hasSize(2)
        .doesNotContain("checkout-pending");
    assertThat(done.getStatus().getTargetsSummary()).isEqualTo("2/2");
  }

  @Test
  void deletingASessionRemovesWhatItCreatedButThePodKeepsItsExitedDebugger() {
    String ns = harness.namespace("op-delete");
    runPod(ns, "checkout-0");
    DebugSession created = harness.apply(ns, OperatorHarness.session("to-delete", "checkout-0", "[{kind: Goroutines}]", ""));
    DebugSession done = harness.awaitPhase(ns, "to-delete", SessionPhase.Succeeded, WAIT);
    assertThat(done.getStatus().getTargets().get(0).getMessage())
        .contains("remains in the pod (Kubernetes cannot remove ephemeral containers)");

    client.resource(done).delete();
    client.resources(DebugSession.class).inNamespace(ns).withName("to-delete")
        .waitUntilCondition(s -> s == null, 30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(client.secrets().inNamespace(ns).withName(SessionNames.targetSecret(created, "checkout-0")).get()).isNull();
    assertThat(client.serviceAccounts().inNamespace(ns).withName(SessionNames.serviceAccount(created)).get()).isNull();
    assertThat(client.rbac().roles().inNamespace(ns).withName(SessionNames.role(created)).get()).isNull();
    assertThat(client.rbac().roleBindings().inNamespace(ns).withName(SessionNames.role(created)).get()).isNull();
    Pod pod = client.pods().inNamespace(ns).withName("checkout-0").get();
    assertThat(pod.getSpec().getEphemeralContainers()).extracting(EphemeralContainer::getName)
        .containsExactly(SessionNames.debuggerContainer(created));
    Pod exited = client.pods().inNamespace(ns).withName("checkout-0").waitUntilCondition(p ->
        p.getStatus().getEphemeralContainerStatuses() != null && p.getStatus().getEphemeralContainerStatuses().stream()
            .anyMatch(s -> s.getState().getTerminated() != null), 30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(exited.getStatus().getEphemeralContainerStatuses()).singleElement()
        .satisfies(s -> assertThat(s.getState().getTerminated().getExitCode()).isZero());
  }

  @Test
  void theSidecarTokenReachesItsOwnSessionStatusAndNothingElse() throws Exception {
    String ns = harness.namespace("op-token");
    runPod(ns, "checkout-0");
    runPod(ns, "checkout-1");
    DebugSession mine = harness.apply(ns, OperatorHarness.session("slow-mine", "checkout-0", "[{kind: Goroutines}]", ""));
    harness.apply(ns, OperatorHarness.session("slow-other", "checkout-1", "[{kind: Goroutines}]", ""));
    harness.await(ns, "slow-mine", s -> s.getStatus() != null && s.getStatus().getTargets() != null
        && s.getStatus().getTargets().stream().anyMatch(t -> t.getInjectionTime() != null), WAIT);
    String token = secretValue(ns, SessionNames.targetSecret(mine, "checkout-0"), "token");

    HttpResponse<String> own = harness.patchStatusWithToken(token, ns, "slow-mine", "checkout-0");
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    assertThat(harness.patchStatusWithToken(token, ns, "slow-other", "checkout-1").statusCode()).isEqualTo(403);
    try (KubernetesClient asSidecar = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
        harness.server.kubeconfigYaml())).editOrNewConfig().withOauthToken(token).withClientCertData(null)
        .withClientKeyData(null).withClientCertFile(null).withClientKeyFile(null).endConfig().build()) {
      assertForbidden(() -> asSidecar.pods().inNamespace(ns).list());
      assertForbidden(() -> asSidecar.secrets().inNamespace(ns).list());
      assertForbidden(() -> asSidecar.secrets().inNamespace(ns).withName(SessionNames.targetSecret(mine, "checkout-0")).get());
      assertForbidden(() -> asSidecar.resources(DebugSession.class).inNamespace(ns).withName("slow-mine").get());
      assertForbidden(() -> asSidecar.resources(DebugSession.class).inNamespace(ns).withName("slow-mine").delete());
    }

    // The pod goes: the operator fails that target and revokes its token.
    client.pods().inNamespace(ns).withName("checkout-0").withGracePeriod(0).delete();
    DebugSession failed = harness.awaitPhase(ns, "slow-mine", SessionPhase.Failed, WAIT);
    assertThat(failed.getStatus().getTargets().get(0).getReason()).isEqualTo("PodDeleted");
    assertThat(client.secrets().inNamespace(ns).withName(SessionNames.targetSecret(mine, "checkout-0")).get()).isNull();
    // kube-apiserver caches a successful token authentication for 10 s: revocation lands within that.
    int answer = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
    while (answer != 401 && System.nanoTime() < deadline) {
      try {
        answer = harness.patchStatusWithToken(token, ns, "slow-mine", "checkout-0").statusCode();
      } catch (java.io.IOException e) {
        answer = -1;
      }
      Thread.sleep(500);
    }
    assertThat(answer).as("the revoked token is refused").isEqualTo(401);
  }

  private static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }

  private String secretValue(String ns, String secret, String key) {
    Secret s = client.secrets().inNamespace(ns).withName(secret).get();
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static Map<String, EnvVar> envByName(EphemeralContainer container) {
    return container.getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
  }

  private static SidecarPlan readPlan(String json) {
    try {
      return ContractJson.mapper().readValue(json, SidecarPlan.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Map<String, String> conditions(DebugSession session) {
    return session.getStatus().getConditions().stream()
        .collect(java.util.stream.Collectors.toMap(SessionCondition::getType, c -> c.getStatus().name()));
  }
}
