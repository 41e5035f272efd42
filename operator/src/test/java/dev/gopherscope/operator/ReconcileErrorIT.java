package dev.gopherscope.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionCondition;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.S3Server;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reconcile that fails ends as a condition on the session, not only as a log line. The CRD
 * refuses the selectors that used to make every reconcile fail, so these sessions are created
 * under the CRD without its selector rules, as sessions stored before those rules existed would
 * be (the API server does not re-validate stored objects when a CRD changes).
 */
@ExtendWith(RealComponentsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconcileErrorIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private OperatorHarness harness;
  private KubernetesClient client;
  private String ns;

  @BeforeAll
  void startOperator(KubernetesApiServer server, KubernetesClient client, S3Server s3) throws Exception {
    this.client = client;
    this.harness = new OperatorHarness(server, client, s3, Map.of());
    installWithoutSelectorRules();
    ns = harness.namespace("reconcile-errors");
    harness.kubelet.runPod(KubeletStandIn.pod(ns, "app-0", "app", Map.of("app", "a")));
  }

  @AfterAll
  void restoreCrdAndStopOperator() {
    DebugSessionCrd.install(client);
    harness.close();
  }

  @Test
  void aLabelKeyTheApiServerRefusesFailsTheSessionWithItsReason() {
    create("bad-key", "{matchLabels: {'-app': a}}");
    DebugSession failed = harness.awaitPhase(ns, "bad-key", SessionPhase.Failed, WAIT);
    assertThat(ready(failed).getReason()).isEqualTo("BadRequest");
    assertThat(failed.getStatus().getMessage()).contains("the API server answered 400 BadRequest", "-app");
    assertThat(failed.getStatus().getCompletionTime()).isNotNull();
    assertNothingInjected();
  }

  @Test
  void anUnknownSelectorOperatorFailsTheSession() {
    create("bad-operator", "{matchExpressions: [{key: app, operator: Foo, values: [a]}]}");
    DebugSession failed = harness.awaitPhase(ns, "bad-operator", SessionPhase.Failed, WAIT);
    assertThat(ready(failed).getStatus()).isEqualTo(SessionCondition.ConditionStatus.False);
    assertThat(failed.getStatus().getMessage()).contains("Foo");
    assertNothingInjected();
  }

  @Test
  void anEmptySelectorIsRefusedInsteadOfDebuggingEveryPod() {
    create("empty-selector", "{}");
    DebugSession failed = harness.awaitPhase(ns, "empty-selector", SessionPhase.Failed, WAIT);
    assertThat(ready(failed).getReason()).isEqualTo("EmptySelector");
    assertThat(failed.getStatus().getMessage()).contains("would match every pod in namespace " + ns);
    assertNothingInjected();
  }

  private void create(String name, String selector) {
    String yaml = """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: NAME}
        spec:
          target: {selector: SELECTOR, container: app}
          pprof: {port: 6060}
          captures: [{kind: Goroutines}]
        """.replace("NAME", name).replace("SELECTOR", selector);
    // The API server serves a changed CRD schema a moment after it accepted it.
    Instant until = Instant.now().plusSeconds(20);
    while (true) {
      try {
        harness.apply(ns, yaml);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 422 || Instant.now().isAfter(until)) {
          throw e;
        }
        sleep();
      }
    }
  }

  private void installWithoutSelectorRules() throws IOException {
    CustomResourceDefinition crd;
    try (InputStream yaml = Files.newInputStream(DebugSessionCrd.committedYaml())) {
      crd = client.apiextensions().v1().customResourceDefinitions().load(yaml).item();
    }
    JSONSchemaProps selector = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
        .get("spec").getProperties().get("target").getProperties().get("selector");
    selector.setXKubernetesValidations(null);
    selector.getProperties().get("matchExpressions").getItems().getSchema().getProperties().get("operator")
        .setEnum(null);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
  }

  private void assertNothingInjected() {
    assertThat(client.pods().inNamespace(ns).withName("app-0").get().getSpec().getEphemeralContainers())
        .as("nothing injected").isNullOrEmpty();
  }

  private static SessionCondition ready(DebugSession session) {
    return session.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst()
        .orElseThrow(() -> new AssertionError("no Ready condition in " + session.getStatus().getConditions()));
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
