package dev.gopherscope.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionCondition;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.S3Server;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each reason a session cannot run, refused before the pod is touched, with a message that says what to do. */
@ExtendWith(RealComponentsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreflightIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String DELVE_CAPTURE = "[{kind: Goroutines, source: Delve}]";
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


  private DebugSession refused(String ns, String name, String reason) {
    DebugSession failed = harness.awaitPhase(ns, name, SessionPhase.Failed, WAIT);
    assertThat(failed.getStatus().getTargets().get(0).getReason()).isEqualTo(reason);
    assertThat(condition(failed, "PreflightPassed")).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(SessionCondition.ConditionStatus.False);
      assertThat(c.getReason()).isEqualTo(reason);
    });
    Pod pod = client.pods().inNamespace(ns).withName(failed.getStatus().getTargets().get(0).getPod()).get();
    assertThat(pod.getSpec().getEphemeralContainers()).as("nothing injected").isNullOrEmpty();
    return failed;
  }

  @Test
  void podSecurityBaselineForbidsTheDelveCapability() {
    String ns = labelledNamespace("pf-baseline", "baseline");
    harness.kubelet.runPod(KubeletStandIn.pod(ns, "app-0", "app", Map.of()));
    harness.apply(ns, OperatorHarness.session("needs-delve", "app-0", DELVE_CAPTURE, ""));
    DebugSession failed = refused(ns, "needs-delve", "PodSecurityForbidsPtrace");
    assertThat(failed.getStatus().getMessage()).contains("'baseline'", "SYS_PTRACE", "spec.pprof");
  }

  @Test
  void aPprofOnlySessionRunsUnderTheRestrictedLevel() {
    String ns = labelledNamespace("pf-restricted", "restricted");
    harness.kubelet.runPod(new PodBuilder(KubeletStandIn.pod(ns, "app-0", "app", Map.of())).editSpec()
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(1000L).withNewSeccompProfile()
        .withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .editFirstContainer().withNewSecurityContext().withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext().endContainer()
        .endSpec().build());
    harness.apply(ns, OperatorHarness.session("pprof-only", "app-0", "[{kind: Goroutines}, {kind: Heap}]", ""));
    harness.awaitPhase(ns, "pprof-only", SessionPhase.Succeeded, WAIT);
    // The API server's PodSecurity admission accepted the injected container under 'restricted'.
    assertThat(client.pods().inNamespace(ns).withName("app-0").get().getSpec().getEphemeralContainers()).hasSize(1);
  }

  @Test
  void runAsNonRootPodsRefuseARootDebugger() {
    String ns = harness.namespace("pf-nonroot");
    harness.kubelet.runPod(new PodBuilder(KubeletStandIn.pod(ns, "app-0", "app", Map.of())).editSpec()
        .withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext().endSpec().build());
    harness.apply(ns, OperatorHarness.session("root-debugger", "app-0", DELVE_CAPTURE, ""));
    DebugSession failed = refused(ns, "root-debugger", "RunAsNonRootForbidsDebugger");
    assertThat(failed.getStatus().getMessage()).contains("runAsNonRoot", "pprof");
  }

  @Test
  void aSecondDebuggerOnTheSameProcessIsRefused() {
    String ns = harness.namespace("pf-busy");
    harness.kubelet.runPod(KubeletStandIn.pod(ns, "app-0", "app", Map.of()));
    harness.apply(ns, OperatorHarness.session("slow-first", "app-0", DELVE_CAPTURE, ""));
    harness.await(ns, "slow-first", s -> s.getStatus() != null && s.getStatus().getTargets() != null
        && s.getStatus().getTargets().get(0).getReport() != null, WAIT);
    harness.apply(ns, OperatorHarness.session("second", "app-0", DELVE_CAPTURE, ""));
    DebugSession failed = harness.awaitPhase(ns, "second", SessionPhase.Failed, WAIT);
    assertThat(failed.getStatus().getTargets().get(0).getReason()).isEqualTo("DebuggerAlreadyAttached");
    assertThat(failed.getStatus().getMessage()).contains("only one debugger");
    assertThat(client.pods().inNamespace(ns).withName("app-0").get().getSpec().getEphemeralContainers()).hasSize(1);
    harness.awaitPhase(ns, "slow-first", SessionPhase.Succeeded, WAIT);
  }

  @Test
  void tooLittleMemoryHeadroomIsRefusedUnlessTheUserAcceptsTheRisk() {
    String ns = harness.namespace("pf-memory");
    harness.kubelet.runPod(tight(KubeletStandIn.pod(ns, "app-0", "app", Map.of())));
    harness.kubelet.runPod(tight(KubeletStandIn.pod(ns, "app-1", "app", Map.of())));
    harness.apply(ns, OperatorHarness.session("tight", "app-0", DELVE_CAPTURE, ""));
    DebugSession failed = refused(ns, "tight", "InsufficientMemoryHeadroom");
    assertThat(failed.getStatus().getMessage())
        .contains("memory limit of 128Mi", "uses 100Mi", "no metrics API", "memoryHeadroomCheck: Warn");

    harness.apply(ns, OperatorHarness.session("tight-warn", "app-1", DELVE_CAPTURE, "  memoryHeadroomCheck: Warn\n"));
    DebugSession warned = harness.awaitPhase(ns, "tight-warn", SessionPhase.Succeeded, WAIT);
    assertThat(condition(warned, "PreflightPassed")).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(SessionCondition.ConditionStatus.True);
      assertThat(c.getReason()).isEqualTo("PassedWithWarnings");
      assertThat(c.getMessage()).contains("injecting anyway");
    });
  }

  /** Valid for java.util.regex and for the CRD, but not RE2: the sidecar would refuse it, so nothing is injected. */
  @Test
  void aRedactPatternTheSidecarWouldRefuseFailsTheSessionBeforeInjecting() {
    String ns = harness.namespace("pf-redact");
    harness.kubelet.runPod(KubeletStandIn.pod(ns, "app-0", "app", Map.of()));
    harness.apply(ns, OperatorHarness.session("lookbehind", "app-0", "[{kind: Goroutines}]",
        "  redact: ['(?i)bearer [a-z0-9._-]+', '(?<=password=)\\S+']\n"));
    DebugSession failed = harness.awaitPhase(ns, "lookbehind", SessionPhase.Failed, WAIT);
    assertThat(condition(failed, "PreflightPassed")).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(SessionCondition.ConditionStatus.False);
      assertThat(c.getReason()).isEqualTo("InvalidRedactPattern");
    });
    assertThat(condition(failed, "Ready").getReason()).isEqualTo("InvalidRedactPattern");
    assertThat(failed.getStatus().getMessage()).contains("redact pattern #2 '(?<=password=)\\S+' is not a valid RE2",
        "invalid named capture", "no backreferences or lookaround", "nothing was injected");
    assertThat(failed.getStatus().getTargets()).as("no target chosen").isNullOrEmpty();
    assertThat(client.pods().inNamespace(ns).withName("app-0").get().getSpec().getEphemeralContainers())
        .as("nothing injected").isNullOrEmpty();
  }

  @Test
  void aMissingPodOrContainerFailsAtOnceAndNoMatchWaits() {
    String ns = harness.namespace("pf-targets");
    harness.kubelet.runPod(KubeletStandIn.pod(ns, "app-0", "app", Map.of("app", "x")));
    harness.apply(ns, OperatorHarness.session("no-pod", "app-9", "[{kind: Goroutines}]", ""));
    DebugSession noPod = harness.awaitPhase(ns, "no-pod", SessionPhase.Failed, WAIT);
    assertThat(condition(noPod, "TargetsResolved").getReason()).isEqualTo("PodNotFound");
    assertThat(noPod.getStatus().getMessage()).contains("pod app-9 does not exist in namespace " + ns);

    harness.apply(ns, OperatorHarness.session("no-container", "app-0", "[{kind: Goroutines}]", "")
        .replace("container: app", "container: sidecar"));
    DebugSession noContainer = harness.awaitPhase(ns, "no-container", SessionPhase.Failed, WAIT);
    assertThat(condition(noContainer, "TargetsResolved").getReason()).isEqualTo("ContainerNotFound");
    assertThat(noContainer.getStatus().getMessage()).contains("has no container sidecar (it has app)");

    harness.apply(ns, """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: no-match}
        spec:
          target: {selector: {matchLabels: {app: checkout}}}
          pprof: {port: 6060}
          captures: [{kind: Goroutines}]
        """);
    DebugSession waiting = harness.await(ns, "no-match", s -> s.getStatus() != null
        && s.getStatus().getConditions() != null, WAIT);
    assertThat(waiting.getStatus().getPhase()).isEqualTo(SessionPhase.Pending);
    assertThat(condition(waiting, "TargetsResolved").getReason()).isEqualTo("NoPodsMatch");
    assertThat(condition(waiting, "Ready").getStatus()).isEqualTo(SessionCondition.ConditionStatus.False);
  }

  private String labelledNamespace(String name, String level) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels("pod-security.kubernetes.io/enforce", level).endMetadata().build()).serverSideApply();
    return name;
  }

  private static Pod tight(Pod pod) {
    return new PodBuilder(pod).editSpec().editFirstContainer().withNewResources()
        .addToRequests("memory", new Quantity("100Mi")).addToLimits("memory", new Quantity("128Mi"))
        .endResources().endContainer().endSpec().build();
  }

  private static SessionCondition condition(DebugSession session, String type) {
    return session.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + session.getStatus().getConditions()));
  }
}
