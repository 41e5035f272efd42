package dev.gopherscope.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a person sees with the real kubectl: explain, get with printer columns, short name, categories, wait. */
@ExtendWith(RealComponentsExtension.class)
class KubectlExperienceIT {

  private static final String NAMESPACE = "it-kubectl";
  private static final Path TRANSCRIPT = Path.of("target", "kubectl-experience.txt");

  @Test
  void explainGetAndWaitWork(KubernetesApiServer server, KubernetesClient client) throws Exception {
    DebugSessionCrd.install(client);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    Files.deleteIfExists(TRANSCRIPT);

    String explain = explainOncePublished(server, "debugsession.spec");
    assertThat(explain).contains("KIND:", "DebugSession", "captures", "pauseBudget",
        "The most any target may be halted by one capture");
    assertThat(explained(server, "dbg.spec.captures"))
        .contains("Goroutines, TraceStacks, CPUProfile, Heap, Allocs, Block, Mutex, Snapshot, ExecutionTrace, "
            + "RuntimeHealth or GoroutineLeaks");
    assertThat(explained(server, "dbg.spec.captures.duration")).contains("ExecutionTrace: how long to trace");
    assertThat(explained(server, "dbg.status.results.executionTrace"))
        .contains("gcPauses", "schedulerLatency", "goroutines", "ambiguous", "execution traces carry no pprof labels");
    assertThat(explained(server, "dbg.status.results.runtimeHealth"))
        .contains("gcPerMinute", "heapGoalBytes", "goroutinesPerProc", "runtime.MemStats.PauseNs");
    assertThat(kubectl(server, "explain", "dbg.spec.captures.mutexProfileFraction"))
        .contains("runtime.SetMutexProfileFraction", "put back");
    assertThat(kubectl(server, "explain", "dbg.status.results.heapGrowth")).contains("In-use bytes gained");
    assertThat(kubectl(server, "explain", "dbg.status.results.profilingRates")).contains("restoredBy", "previous");
    assertThat(kubectl(server, "explain", "dbg.status.results.leakSuspects.method")).contains("Proven", "Growth");
    assertThat(explained(server, "dbg.spec.trigger")).contains("each target stays Armed", "TriggerNeverFired",
        "goroutinesAbove", "heapInUseAbove", "labelAppears", "breakpoint", "pollInterval");
    assertThat(explained(server, "dbg.spec.trigger.filterByHitLabels")).contains("the pprof labels of the goroutine "
        + "that hit");
    assertThat(explained(server, "dbg.status.trigger.state")).contains("Armed", "Fired", "NeverFired");

    Path example = TestEnvironment.get().repoRoot().resolve("examples/sessions/checkout-slow.yaml");
    assertThat(kubectl(server, "apply", "-n", NAMESPACE, "-f", example.toString()))
        .contains("debugsession.gopherscope.dev/checkout-slow created");

    DebugSession session = client.resources(DebugSession.class).inNamespace(NAMESPACE).withName("checkout-slow").get();
    DebugSessionStatus status = new DebugSessionStatus();
    status.setPhase(SessionPhase.Succeeded);
    status.setTargetsSummary("3/3");
    status.setCapturesSummary("12/12");
    status.setPausedMs(0L);
    SessionCondition ready = new SessionCondition();
    ready.setType("Ready");
    ready.setStatus(SessionCondition.ConditionStatus.True);
    ready.setReason("Succeeded");
    ready.setMessage("12 captures from 3 pods, 8 artifacts uploaded");
    ready.setLastTransitionTime("2026-11-26T09:00:00Z");
    ready.setObservedGeneration(session.getMetadata().getGeneration());
    status.setConditions(List.of(ready));
    session.setStatus(status);
    client.resources(DebugSession.class).inNamespace(NAMESPACE).resource(session).updateStatus();

    String get = kubectl(server, "get", "dbg", "-n", NAMESPACE);
    assertThat(get.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "PHASE", "TARGETS", "CAPTURES", "PAUSED", "AGE");
    assertThat(get).contains("checkout-slow", "Succeeded", "3/3", "12/12");
    assertThat(kubectl(server, "get", "gopherscope", "-n", NAMESPACE)).contains("checkout-slow");
    assertThat(kubectl(server, "wait", "-n", NAMESPACE, "dbg/checkout-slow", "--for=condition=Ready", "--timeout=10s"))
        .contains("condition met");

    // An armed session, as the operator reports one: Armed in kubectl get, then Triggered for kubectl wait.
    Path armedExample = TestEnvironment.get().repoRoot().resolve("examples/sessions/trigger-goroutines.yaml");
    assertThat(kubectl(server, "apply", "-n", NAMESPACE, "-f", armedExample.toString())).contains("created");
    DebugSession armed = client.resources(DebugSession.class).inNamespace(NAMESPACE).withName("checkout-goroutine-storm")
        .get();
    DebugSessionStatus armedStatus = new DebugSessionStatus();
    armedStatus.setPhase(SessionPhase.Armed);
    TriggerStatus trigger = new TriggerStatus();
    trigger.setState(TriggerState.Fired);
    trigger.setFiredTargets(1);
    trigger.setFirstFiredTime("2026-12-06T10:00:00Z");
    armedStatus.setTrigger(trigger);
    SessionCondition triggered = new SessionCondition();
    triggered.setType("Triggered");
    triggered.setStatus(SessionCondition.ConditionStatus.True);
    triggered.setReason("Fired");
    triggered.setMessage("fired on 1 of 3 target(s), first at 2026-12-06T10:00:00Z");
    triggered.setLastTransitionTime("2026-12-06T10:00:00Z");
    triggered.setObservedGeneration(armed.getMetadata().getGeneration());
    armedStatus.setConditions(List.of(triggered));
    armed.setStatus(armedStatus);
    client.resources(DebugSession.class).inNamespace(NAMESPACE).resource(armed).updateStatus();
    assertThat(kubectl(server, "get", "dbg", "-n", NAMESPACE, "checkout-goroutine-storm")).contains("Armed");
    assertThat(kubectl(server, "wait", "-n", NAMESPACE, "dbg/checkout-goroutine-storm", "--for=condition=Triggered",
        "--timeout=10s")).contains("condition met");
  }

  /**
   * The API server publishes a new CRD's OpenAPI schema a moment after the CRD is Established;
   * until then kubectl explain says "couldn't find resource" (seen once in a few runs).
   */
  private static String explainOncePublished(KubernetesApiServer server, String field) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Process process = new ProcessBuilder(TestEnvironment.get().kubectl().toString(), "--kubeconfig",
          server.kubeconfigFile().toString(), "explain", field).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(60, TimeUnit.SECONDS);
      if (!output.contains("couldn't find resource") || System.nanoTime() > deadline) {
        return kubectl(server, "explain", field);
      }
      Thread.sleep(250);
    }
  }

  /** {@code kubectl explain FIELD} with its line wrapping undone, so descriptions read as written. */
  private static String explained(KubernetesApiServer server, String field) throws IOException, InterruptedException {
    return kubectl(server, "explain", field).replaceAll("\\s+", " ");
  }

  private static String kubectl(KubernetesApiServer server, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(TestEnvironment.get().kubectl().toString(),
        "--kubeconfig", server.kubeconfigFile().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Files.createDirectories(TRANSCRIPT.getParent());
    Files.writeString(TRANSCRIPT, "$ kubectl " + String.join(" ", args) + "\n" + output + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args), output).isZero();
    return output;
  }
}
