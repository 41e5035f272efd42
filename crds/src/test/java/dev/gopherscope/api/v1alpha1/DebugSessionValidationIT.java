package dev.gopherscope.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD on a real API server: good sessions are accepted, bad ones refused at admission with a
 * message that says what to fix (OpenAPI schema and CEL rules, nothing client-side).
 */
@ExtendWith(RealComponentsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebugSessionValidationIT {

  private static final String NAMESPACE = "it-validation";
  private KubernetesClient client;

  @BeforeAll
  void installCrd(KubernetesClient client) {
    this.client = client;
    DebugSessionCrd.install(client);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
  }

  private MixedOperation<DebugSession, KubernetesResourceList<DebugSession>, Resource<DebugSession>> sessions() {
    return client.resources(DebugSession.class);
  }

  static Stream<Path> examples() throws IOException {
    Path dir = TestEnvironment.get().repoRoot().resolve("examples/sessions");
    return Files.list(dir).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleIsAccepted(Path example) throws IOException {
    DebugSession session = sessions().load(Files.newInputStream(example)).item();
    DebugSession created = sessions().inNamespace(NAMESPACE).resource(session).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getSpec().getCaptures()).isNotEmpty();
    // Defaults come from the schema, so every client sees the same effective spec.
    assertThat(created.getSpec().getPauseBudget()).isNotBlank();
    assertThat(created.getSpec().getAttachPauseBudget()).isNotBlank();
    assertThat(created.getSpec().getTtlSecondsAfterFinished()).isNotNull();
    sessions().inNamespace(NAMESPACE).resource(created).delete();
  }

  @Test
  void examplesCoverEveryCaptureKind() throws IOException {
    List<CaptureKind> kinds = new ArrayList<>();
    for (Path example : examples().toList()) {
      sessions().load(Files.newInputStream(example)).item().getSpec().getCaptures().forEach(c -> kinds.add(c.getKind()));
    }
    assertThat(kinds).contains(CaptureKind.values());
  }

  private static final String VALID = """
      apiVersion: gopherscope.dev/v1alpha1
      kind: DebugSession
      metadata: {name: NAME}
      spec:
        target: {podName: checkout-0, container: app}
        pprof: {port: 6060}
        captures:
          - {kind: Goroutines}
      """;

  /** A session built from {@link #VALID} by replacing one fragment. */
  private static Arguments invalid(String name, String from, String to, String expected) {
    if (!VALID.contains(from)) {
      throw new IllegalArgumentException(name + ": the base session has no '" + from + "'");
    }
    return Arguments.of(name, VALID.replace(from, to), expected);
  }

  static Stream<Arguments> invalidSessions() {
    String target = "target: {podName: checkout-0, container: app}";
    String captures = "captures:\n    - {kind: Goroutines}";
    return Stream.of(
        invalid("both podName and selector", target,
            "target: {podName: a, selector: {matchLabels: {app: a}}}",
            "set exactly one of target.podName or target.selector"),
        invalid("neither podName nor selector", target, "target: {container: app}",
            "set exactly one of target.podName or target.selector"),
        invalid("maxPods with podName", target, "target: {podName: a, maxPods: 2}",
            "target.maxPods applies only to target.selector"),
        invalid("maxPods above 10", target, "target: {selector: {matchLabels: {app: a}}, maxPods: 11}",
            "should be less than or equal to 10"),
        invalid("maxPods zero", target, "target: {selector: {matchLabels: {app: a}}, maxPods: 0}",
            "should be greater than or equal to 1"),
        invalid("pod name not a DNS name", target, "target: {podName: Checkout_0}", "spec.target.podName"),
        invalid("empty selector", target, "target: {selector: {}}",
            "target.selector is empty and would match every pod in the namespace"),
        invalid("selector with empty matchLabels", target, "target: {selector: {matchLabels: {}}}",
            "target.selector is empty and would match every pod in the namespace"),
        invalid("selector with empty matchLabels and matchExpressions", target,
            "target: {selector: {matchLabels: {}, matchExpressions: []}}",
            "target.selector is empty and would match every pod in the namespace"),
        invalid("unknown selector operator", target,
            "target: {selector: {matchExpressions: [{key: app, operator: Foo, values: [a]}]}}",
            "Unsupported value: \"Foo\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\""),
        invalid("selector operator missing", target, "target: {selector: {matchExpressions: [{key: app}]}}",
            "spec.target.selector.matchExpressions[0].operator: Required value"),
        invalid("invalid label key in matchLabels", target, "target: {selector: {matchLabels: {'-app': a}}}",
            "target.selector has an invalid label key"),
        invalid("label key with two slashes", target, "target: {selector: {matchLabels: {'a/b/c': a}}}",
            "target.selector has an invalid label key"),
        invalid("label name over 63 characters", target,
            "target: {selector: {matchLabels: {" + "k".repeat(64) + ": a}}}", "target.selector has an invalid label key"),
        invalid("invalid label key in matchExpressions", target,
            "target: {selector: {matchExpressions: [{key: 'app name', operator: Exists}]}}",
            "target.selector has an invalid label key"),
        invalid("invalid label value", target, "target: {selector: {matchLabels: {app: 'a b'}}}",
            "target.selector has an invalid label value"),
        invalid("In without values", target, "target: {selector: {matchExpressions: [{key: app, operator: In}]}}",
            "operators In and NotIn need values; Exists and DoesNotExist take none"),
        invalid("Exists with values", target,
            "target: {selector: {matchExpressions: [{key: app, operator: Exists, values: [a]}]}}",
            "operators In and NotIn need values; Exists and DoesNotExist take none"),
        invalid("empty redact pattern", "captures:", "redact: ['']\n  captures:",
            "spec.redact[0] in body should be at least 1 chars long"),
        invalid("malformed traceparent", "captures:",
            "filter: {traceparent: 00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01}\n  captures:",
            "spec.filter.traceparent in body should match"),
        invalid("traceparent with all-zero trace id", "captures:",
            "filter: {traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01}\n  captures:",
            "all-zero trace id"),
        invalid("traceparent with all-zero parent id", "captures:",
            "filter: {traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01}\n  captures:",
            "all-zero parent id"),
        invalid("traceparent version ff", "captures:",
            "filter: {traceparent: ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}\n  captures:",
            "traceparent version ff is invalid"),
        invalid("traceparent and traceId", "captures:",
            "filter: {traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01, "
                + "traceId: 4bf92f3577b34da6a3ce929d0e0e4736}\n  captures:",
            "set at most one of filter.traceparent or filter.traceId"),
        invalid("all-zero traceId", "captures:", "filter: {traceId: 00000000000000000000000000000000}\n  captures:",
            "traceId must not be all zeros"),
        invalid("negative pause budget", "captures:", "pauseBudget: -5ms\n  captures:",
            "spec.pauseBudget in body should match"),
        invalid("zero pause budget", "captures:", "pauseBudget: 0s\n  captures:",
            "pauseBudget must be a duration above 0 and at most 10s"),
        invalid("pause budget above 10s", "captures:", "pauseBudget: 30s\n  captures:",
            "pauseBudget must be a duration above 0 and at most 10s"),
        invalid("attach pause budget not a duration", "captures:", "attachPauseBudget: 2 seconds\n  captures:",
            "spec.attachPauseBudget in body should match"),
        invalid("zero attach pause budget", "captures:", "attachPauseBudget: 0s\n  captures:",
            "attachPauseBudget must be a duration above 0 and at most 30s"),
        invalid("attach pause budget above 30s", "captures:", "attachPauseBudget: 31s\n  captures:",
            "attachPauseBudget must be a duration above 0 and at most 30s"),
        invalid("timeout too short", "captures:", "timeout: 5s\n  captures:", "timeout must be between 10s and 6h"),
        invalid("negative ttl", "captures:", "ttlSecondsAfterFinished: -1\n  captures:",
            "should be greater than or equal to 0"),
        invalid("CPU profile too long", captures, "captures:\n    - {kind: CPUProfile, duration: 10m}",
            "duration must be between 1s and 5m"),
        invalid("snapshots too frequent", captures, "captures:\n    - {kind: Goroutines, every: 500ms, count: 3}",
            "every must be between 1s and 10m"),
        invalid("too many snapshots", captures, "captures:\n    - {kind: Goroutines, count: 61}",
            "should be less than or equal to 60"),
        invalid("maxHits zero", captures, "captures:\n    - {kind: Snapshot, location: main.f, maxHits: 0}",
            "should be greater than or equal to 1"),
        invalid("unknown capture kind", captures, "captures:\n    - {kind: Threads}", "Unsupported value: \"Threads\""),
        invalid("Snapshot without location", captures, "captures:\n    - {kind: Snapshot}",
            "a Snapshot capture needs a location"),
        invalid("duplicate capture kind", captures, "captures:\n    - {kind: Heap}\n    - {kind: Heap}",
            "each capture kind may appear once"),
        invalid("duplicate Snapshot location", captures,
            "captures:\n    - {kind: Snapshot, location: main.f}\n    - {kind: Snapshot, location: main.f}",
            "each capture kind may appear once"),
        invalid("no captures", captures, "captures: []", "should have at least 1 items"),
        invalid("profile without pprof endpoint", "pprof: {port: 6060}\n  " + captures,
            "captures:\n    - {kind: CPUProfile}", "read the app's net/http/pprof endpoint: set spec.pprof.port"),
        invalid("source Pprof without pprof endpoint", "pprof: {port: 6060}\n  " + captures,
            "captures:\n    - {kind: Goroutines, source: Pprof}", "a capture with source Pprof needs spec.pprof.port"),
        invalid("Snapshot option on another kind", captures, "captures:\n    - {kind: Heap, location: main.f}",
            "apply only to Snapshot captures"),
        invalid("duration on a Heap capture", captures, "captures:\n    - {kind: Heap, duration: 10s}",
            "duration applies only to CPUProfile, Block, Mutex, ExecutionTrace and RuntimeHealth captures"),
        invalid("execution trace too long", captures, "captures:\n    - {kind: ExecutionTrace, duration: 2m}",
            "an ExecutionTrace lasts at most 60s"),
        invalid("runtime health without pprof endpoint", "pprof: {port: 6060}\n  " + captures,
            "captures:\n    - {kind: RuntimeHealth}", "read the app's net/http/pprof endpoint: set spec.pprof.port"),
        invalid("mutexProfileFraction on a Block capture", captures,
            "captures:\n    - {kind: Block, mutexProfileFraction: 1}", "mutexProfileFraction applies only to Mutex"),
        invalid("blockProfileRate of 0", captures, "captures:\n    - {kind: Block, blockProfileRate: 0}",
            "should be greater than or equal to 1"),
        invalid("count on TraceStacks", captures, "captures:\n    - {kind: TraceStacks, count: 2}",
            "every and count apply only to Goroutines, Heap and GoroutineLeaks captures"),
        invalid("source on CPUProfile", captures, "captures:\n    - {kind: CPUProfile, source: Delve}",
            "source applies only to Goroutines and TraceStacks captures"),
        invalid("pprof port out of range", "pprof: {port: 6060}", "pprof: {port: 70000}",
            "should be less than or equal to 65535"),
        invalid("pprof path not absolute", "pprof: {port: 6060}", "pprof: {port: 6060, path: debug/pprof}",
            "spec.pprof.path in body should match"),
        invalid("bad bucket name", "captures:", "output: {bucket: My_Bucket}\n  captures:",
            "spec.output.bucket in body should match"),
        invalid("unknown headroom policy", "captures:", "memoryHeadroomCheck: Ignore\n  captures:",
            "Unsupported value: \"Ignore\""),
        invalid("trigger with two conditions", "captures:",
            "trigger: {goroutinesAbove: 5, heapInUseAbove: 1Gi}\n  captures:",
            "a trigger has exactly one condition: goroutinesAbove, heapInUseAbove, labelAppears or breakpoint"),
        invalid("trigger with no condition", "captures:", "trigger: {pollInterval: 2s}\n  captures:",
            "a trigger has exactly one condition"),
        invalid("polled trigger without pprof", "pprof: {port: 6060}\n  captures:\n    - {kind: Goroutines}",
            "trigger: {goroutinesAbove: 500}\n  captures:\n    - {kind: Goroutines, source: Delve}",
            "a goroutinesAbove, heapInUseAbove or labelAppears trigger polls the app's net/http/pprof endpoint"),
        invalid("heap quantity not a quantity", "captures:", "trigger: {heapInUseAbove: lots}\n  captures:",
            "spec.trigger.heapInUseAbove in body should match"),
        invalid("poll interval under a second", "captures:",
            "trigger: {goroutinesAbove: 5, pollInterval: 100ms}\n  captures:", "pollInterval must be between 1s and 5m"),
        invalid("filterByHitLabels without a breakpoint", "captures:",
            "trigger: {goroutinesAbove: 5, filterByHitLabels: false}\n  captures:",
            "filterByHitLabels applies only to a breakpoint trigger"),
        invalid("breakpoint trigger without location", "captures:",
            "trigger: {breakpoint: {condition: \"x > 1\"}}\n  captures:", "spec.trigger.breakpoint.location: Required value"),
        invalid("missing target", target + "\n  ", "", "spec.target: Required value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSessions")
  void invalidSessionIsRefusedWithAMessageThatSaysWhatToFix(String name, String yaml, String expected) {
    // Sent untyped, as kubectl would, so the API server alone judges it (the typed client could
    // not even represent an unknown enum value).
    String unique = yaml.replace("NAME", "bad-" + Math.abs(name.hashCode()));
    GenericKubernetesResource session = client.genericKubernetesResources("gopherscope.dev/v1alpha1", "DebugSession")
        .load(new ByteArrayInputStream(unique.getBytes(StandardCharsets.UTF_8))).item();
    assertThatThrownBy(() -> client.genericKubernetesResources("gopherscope.dev/v1alpha1", "DebugSession")
        .inNamespace(NAMESPACE).resource(session).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  /** The selector rules must not refuse what Kubernetes itself accepts. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "{matchLabels: {app: checkout}}",
      "{matchLabels: {app.kubernetes.io/name: checkout, tier: ''}}",
      "{matchLabels: {example.com/Team_Name.v2: A-1.b_c}}",
      "{matchExpressions: [{key: app, operator: In, values: [checkout, cart]}]}",
      "{matchExpressions: [{key: canary, operator: DoesNotExist}, {key: app, operator: Exists}]}",
      "{matchLabels: {app: checkout}, matchExpressions: [{key: track, operator: NotIn, values: [canary]}]}"})
  void validSelectorsAreAccepted(String selector) {
    String yaml = VALID.replace("NAME", "selector-" + Math.abs(selector.hashCode()))
        .replace("target: {podName: checkout-0, container: app}", "target: {selector: " + selector + "}");
    DebugSession created = sessions().inNamespace(NAMESPACE)
        .resource(sessions().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).item()).create();
    assertThat(created.getSpec().getTarget().getSelector()).isNotNull();
    sessions().inNamespace(NAMESPACE).resource(created).delete();
  }

  @Test
  void theTableHasAtLeastTwentyDistinctRejections() {
    assertThat(invalidSessions().map(a -> a.get()[2]).distinct().count()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void specIsImmutableButStatusCanBeWritten() {
    DebugSession session = sessions().load(new ByteArrayInputStream(
        VALID.replace("NAME", "immutable").getBytes(StandardCharsets.UTF_8))).item();
    DebugSession created = sessions().inNamespace(NAMESPACE).resource(session).create();

    assertThatThrownBy(() -> sessions().inNamespace(NAMESPACE).withName("immutable")
        .edit(s -> {
          s.getSpec().setPauseBudget("200ms");
          return s;
        }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec is immutable once the session exists");

    DebugSessionStatus status = new DebugSessionStatus();
    status.setPhase(SessionPhase.Pending);
    status.setTargetsSummary("0/1");
    created.setStatus(status);
    DebugSession updated = sessions().inNamespace(NAMESPACE).resource(created).updateStatus();
    assertThat(updated.getStatus().getPhase()).isEqualTo(SessionPhase.Pending);
    // The status subresource ignores spec changes and vice versa.
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(created.getMetadata().getGeneration());
  }

  @Test
  void statusIsBoundedByTheSchema() {
    DebugSession session = sessions().load(new ByteArrayInputStream(
        VALID.replace("NAME", "bounded").getBytes(StandardCharsets.UTF_8))).item();
    DebugSession created = sessions().inNamespace(NAMESPACE).resource(session).create();
    DebugSessionStatus status = new DebugSessionStatus();
    List<TargetStatus> targets = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      TargetStatus target = new TargetStatus();
      target.setPod("pod-" + i);
      targets.add(target);
    }
    status.setTargets(targets);
    created.setStatus(status);
    assertThatThrownBy(() -> sessions().inNamespace(NAMESPACE).resource(created).updateStatus())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("must have at most 10 items");
  }
}
