package dev.gopherscope.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionCondition;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import dev.gopherscope.api.v1alpha1.TriggerState;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.testsupport.ChartOnNode;
import dev.gopherscope.testsupport.LocalNode;
import dev.gopherscope.testsupport.PluginCli;
import dev.gopherscope.testsupport.S3Server;
import dev.gopherscope.testsupport.TestEnvironment;
import dev.gopherscope.testsupport.TracedTraffic;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The product where users run it: the chart installed by the real helm into a real cluster with a
 * real node ({@link LocalNode}: kubelet, containerd, runc), the operator running as a container
 * of its Deployment, the demo service as a two-replica Deployment, and sessions whose debugger
 * containers the kubelet starts next to the app, in its PID namespace, as the spec says. The
 * object store is a real s3proxy on the host, which pods reach over the node's network.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalNodeE2E {

  private static final Duration SESSION_WAIT = Duration.ofMinutes(4);
  private static final String RESTRICTED = "shop-restricted";
  private static final String PRIVILEGED = "shop-privileged";

  private static final String STALLED = "checkout-stalled";
  private static final String STRIPPED = "checkout-stripped";

  private LocalNode node;
  private S3Server s3;
  private ChartOnNode chart;
  private KubernetesClient client;
  private final List<TracedTraffic> traffic = new ArrayList<>();

  @BeforeAll
  void installChartAndDemo() {
    String why = LocalNode.whyUnavailable();
    if (why != null) {
      System.out.println("[e2e] SKIPPED LocalNodeE2E: this machine cannot run a real node (" + why
          + "): the DebugSession flow on a real kubelet was NOT run");
    }
    assumeTrue(why == null, "no real node here: " + why);
    Path repo = TestEnvironment.get().repoRoot();
    node = LocalNode.shared(List.of(repo.resolve("operator/target/jib-image.tar"), repo.resolve("sidecar/target/jib-image.tar"),
        repo.resolve("object-store/target/jib-image.tar")));
    s3 = S3Server.startOn(LocalNode.HOST_ADDRESS);
    chart = ChartOnNode.install(node, s3);
    client = chart.client();
    System.out.printf("[e2e] helm install --wait: operator Ready as a container in %d ms%n", chart.installMillis());

    chart.deployDemo(RESTRICTED, "restricted", ChartOnNode.DEMO_APP, 2, List.of());
    chart.deployDemo(PRIVILEGED, "privileged", ChartOnNode.DEMO_APP, 2, List.of());
    // Enough goroutines that listing them through Delve holds the target halted for seconds.
    chart.deployDemo(PRIVILEGED, "privileged", STALLED, 1, List.of("-idle", "40000"));
    chart.deployDemo(PRIVILEGED, "privileged", STRIPPED, ChartOnNode.STRIPPED_DEMO_IMAGE, 1, List.of());
    chart.awaitReady(RESTRICTED, ChartOnNode.DEMO_APP, Duration.ofMinutes(2));
    chart.awaitReady(PRIVILEGED, ChartOnNode.DEMO_APP, Duration.ofMinutes(2));
    chart.awaitReady(PRIVILEGED, STALLED, Duration.ofMinutes(2));
    chart.awaitReady(PRIVILEGED, STRIPPED, Duration.ofMinutes(2));
  }

  @AfterAll
  void stop() {
    traffic.forEach(TracedTraffic::close);
    if (chart != null) {
      chart.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  @Order(1)
  void pprofSessionInRestrictedNamespaceRunsAsNonRootAndFindsTracesInBothPods() throws Exception {
    Map<String, String> pods = podIps(RESTRICTED);
    TracedTraffic load = start(new TracedTraffic(pods, "/work/block?ms=4000", Duration.ofMillis(200), 1_000));
    Thread.sleep(1_500); // a few traced requests parked in each pod before the first capture

    DebugSession done = runSession(RESTRICTED, """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: checkout-pprof}
        spec:
          target: {selector: {matchLabels: {app: checkout}}, container: app, processName: demo-service, maxPods: 2}
          pprof: {port: 6060}
          filter: {labelKeys: [trace_id]}
          captures:
            - {kind: Goroutines, every: 2s, count: 2}
            - {kind: TraceStacks}
            - {kind: CPUProfile, duration: 3s}
          timeout: 3m
        """);
    assertThat(done.getStatus().getPhase()).as(describe(done)).isEqualTo(SessionPhase.Succeeded);
    assertThat(done.getStatus().getTargets()).extracting(TargetStatus::getPod).containsExactlyInAnyOrderElementsOf(pods.keySet());
    assertThat(done.getStatus().getTargets()).as("the status says the exited debugger stays in the pod")
        .allSatisfy(t -> assertThat(t.getMessage()).contains("remains in the pod"));

    for (String podName : pods.keySet()) {
      Pod pod = awaitDebuggerExit(RESTRICTED, podName);
      EphemeralContainer debugger = pod.getSpec().getEphemeralContainers().get(0);
      assertThat(debugger.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(debugger.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
      // The kubelet really ran it: containerd gave it an id, and it ended by itself with exit code 0.
      ContainerStatus status = pod.getStatus().getEphemeralContainerStatuses().get(0);
      assertThat(status.getContainerID()).startsWith("containerd://");
      assertThat(status.getState().getTerminated()).as("debugger container state %s", status.getState()).isNotNull();
      assertThat(status.getState().getTerminated().getExitCode()).isZero();
      assertThat(pod.getStatus().getContainerStatuses()).allSatisfy(app -> assertThat(app.getRestartCount()).isZero());

      List<Artifact> artifacts = done.getStatus().getArtifacts().stream().filter(a -> podName.equals(a.getPod())).toList();
      assertThat(artifacts).extracting(Artifact::getName).contains("trace-stacks.json", "cpu.pb.gz", "goroutines-diff.json");
      String traceStacks = null;
      for (Artifact artifact : artifacts) {
        byte[] bytes = download(artifact);
        assertThat(bytes).as(artifact.getName()).hasSize(artifact.getBytes().intValue());
        assertThat(sha256(bytes)).as(artifact.getName()).isEqualTo(artifact.getSha256());
        if (artifact.getName().equals("trace-stacks.json")) {
          traceStacks = new String(bytes, StandardCharsets.UTF_8);
        }
      }
      String found = traceStacks;
      assertThat(load.traceIdsSentTo(podName)).as("trace ids sent to %s, found in its trace-stacks.json", podName)
          .anySatisfy(traceId -> assertThat(found).contains(traceId));
      System.out.printf("[e2e] %s: debugger ran as uid %s with no capability; %d artifacts, sha256 matched; "
          + "longest heartbeat gap %.1f ms%n", podName, debugger.getSecurityContext().getRunAsUser(), artifacts.size(),
          TracedTraffic.maxHeartbeatGapMs(pods.get(podName)));
    }
    assertThat(load.failed()).as("requests the target failed while debugged: %s", load.failures()).isZero();
  }

  @Test
  @Order(2)
  void delveSessionInPrivilegedNamespacePtracesAcrossContainers() throws Exception {
    Map<String, String> pods = podIps(PRIVILEGED);
    String target = pods.keySet().iterator().next();
    TracedTraffic load = start(new TracedTraffic(Map.of(target, pods.get(target)), "/work/sleep?ms=300",
        Duration.ofMillis(250), 1_000));
    DebugSession done = runSession(PRIVILEGED, delveSession(target));
    assertThat(done.getStatus().getPhase()).as(describe(done)).isEqualTo(SessionPhase.Succeeded);

    Pod pod = awaitDebuggerExit(PRIVILEGED, target);
    EphemeralContainer debugger = pod.getSpec().getEphemeralContainers().get(0);
    assertThat(debugger.getSecurityContext().getCapabilities().getAdd()).containsExactly("SYS_PTRACE", "DAC_OVERRIDE", "KILL");
    ContainerStatus status = pod.getStatus().getEphemeralContainerStatuses().get(0);
    assertThat(status.getState().getTerminated()).as("debugger container state %s", status.getState()).isNotNull();
    assertThat(status.getState().getTerminated().getExitCode()).isZero();
    assertThat(pod.getStatus().getContainerStatuses()).allSatisfy(app -> assertThat(app.getRestartCount()).isZero());
    Artifact snapshotArtifact = done.getStatus().getArtifacts().stream().filter(a -> a.getName().startsWith("snapshot-"))
        .findFirst().orElseThrow(() -> new AssertionError("no snapshot artifact: " + describe(done)));
    for (Artifact artifact : done.getStatus().getArtifacts()) {
      assertThat(sha256(download(artifact))).as(artifact.getName()).isEqualTo(artifact.getSha256());
    }
    String snapshot = new String(download(snapshotArtifact), StandardCharsets.UTF_8);
    assertThat(snapshot).as("the breakpoint's hit with its locals").contains("main.sleepFor");
    System.out.printf("[e2e] %s: dlv attached across containers with SYS_PTRACE; paused %d ms in all; "
        + "longest heartbeat gap %.1f ms%n", target, done.getStatus().getPausedMs(), TracedTraffic.maxHeartbeatGapMs(pods.get(target)));
    assertThat(load.failed()).as("requests the target failed while debugged: %s", load.failures()).isZero();
  }

  @Test
  @Order(3)
  void delveSessionInRestrictedNamespaceIsRefusedBeforeInjecting() throws Exception {
    String target = podIps(RESTRICTED).keySet().iterator().next();
    int before = client.pods().inNamespace(RESTRICTED).withName(target).get().getSpec().getEphemeralContainers().size();
    DebugSession done = runSession(RESTRICTED, delveSession(target).replace("checkout-delve", "checkout-delve-refused"));
    assertThat(done.getStatus().getPhase()).as(describe(done)).isEqualTo(SessionPhase.Failed);
    assertThat(describe(done)).contains("PodSecurityForbidsPtrace");
    assertThat(client.pods().inNamespace(RESTRICTED).withName(target).get().getSpec().getEphemeralContainers())
        .as("nothing injected").hasSize(before);
  }

  /**
   * DESIGN invariant 1 where it matters most: dlv SIGKILLed from the node, by its host pid, while it
   * holds the target halted listing 40,000 goroutines. The kernel detaches ptrace, dlv-guard resumes
   * the target, and the session says what happened instead of waiting for its timeout.
   */
  @Test
  @Order(4)
  void dlvKilledFromTheNodeWhileTheTargetIsHaltedLeavesItServing() throws Exception {
    Map<String, String> pods = chart.runningPods(PRIVILEGED, STALLED);
    assertThat(pods).hasSize(1);
    String podName = pods.keySet().iterator().next();
    Pod pod = client.pods().inNamespace(PRIVILEGED).withName(podName).get();
    String appContainer = pod.getStatus().getContainerStatuses().get(0).getContainerID().replace("containerd://", "");
    List<Long> appPids = LocalNode.hostPids(appContainer);
    assertThat(appPids).as("the app container's processes on the host").hasSize(1);
    long target = appPids.get(0);

    client.resources(DebugSession.class).inNamespace(PRIVILEGED).resource(session("""
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: stalled-dlv-killed}
        spec:
          target: {podName: %s, container: app, processName: demo-service}
          captures:
            - {kind: Goroutines, source: Delve}
          pauseBudget: 10s
          attachPauseBudget: 15s
          timeout: 3m
        """.formatted(podName))).create();

    // Past the attach (its own halt), wait for the capture's halt: every thread of the target in
    // tracing stop, and still so a moment later.
    awaitDebuggerLog(PRIVILEGED, podName, "attaching paused the target");
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    long tracer = 0;
    while (System.nanoTime() < deadline) {
      tracer = haltedBy(target);
      if (tracer != 0) {
        Thread.sleep(50);
        if (haltedBy(target) == tracer) {
          break;
        }
      }
      tracer = 0;
      Thread.sleep(5);
    }
    assertThat(tracer).as("dlv held the target halted during the capture").isNotZero();
    long dlv = Long.parseLong(LocalNode.procStatus(tracer, "Tgid"));
    assertThat(LocalNode.procStatus(dlv, "Name")).isEqualTo("dlv");
    long killed = System.nanoTime();
    new ProcessBuilder("kill", "-KILL", String.valueOf(dlv)).inheritIO().start().waitFor();

    while (LocalNode.procStatus(target, "State").startsWith("t") && System.nanoTime() - killed < 5_000_000_000L) {
      Thread.sleep(1);
    }
    double resumedMs = (System.nanoTime() - killed) / 1e6;
    assertThat(LocalNode.procStatus(target, "State")).as("the target after dlv's death").doesNotStartWith("t");
    assertThat(LocalNode.procStatus(target, "TracerPid")).isEqualTo("0");
    double gap = TracedTraffic.maxHeartbeatGapMs(pods.get(podName));

    DebugSession done = awaitFinished(PRIVILEGED, "stalled-dlv-killed");
    assertThat(done.getStatus().getPhase()).as(describe(done)).isEqualTo(SessionPhase.Failed);
    TargetStatus status = done.getStatus().getTargets().get(0);
    assertThat(status.getReason()).as(describe(done)).isEqualTo("DebuggerExited");
    assertThat(status.getMessage()).as(describe(done)).contains("dlv exited on its own");
    Pod after = client.pods().inNamespace(PRIVILEGED).withName(podName).get();
    assertThat(after.getStatus().getContainerStatuses()).allSatisfy(app -> assertThat(app.getRestartCount()).isZero());
    System.out.printf("[e2e] %s: dlv (host pid %d) SIGKILLed with the target (host pid %d) halted; target running "
        + "again %.1f ms later, serving (longest heartbeat gap %.0f ms); session Failed/%s: %s%n", podName, dlv, target,
        resumedMs, gap, status.getReason(), status.getMessage());
  }

  /** The tracer's pid if every thread of {@code pid} is in tracing stop, else 0. */
  private static long haltedBy(long pid) throws IOException {
    String tracer = LocalNode.procStatus(pid, "TracerPid");
    if (tracer == null || tracer.equals("0")) {
      return 0;
    }
    try (Stream<Path> threads = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      boolean allStopped = threads.allMatch(t -> {
        String state = LocalNode.procStatus(Long.parseLong(t.getFileName().toString()), "State");
        return state == null || state.startsWith("t");
      });
      return allStopped ? Long.parseLong(tracer) : 0;
    }
  }

  /** Waits until the pod's newest debugger container has logged {@code text}. */
  /**
   * A stripped target, as most production images carry their binary: Delve works on it once its
   * split debug info is published to the object store under its build ID, the way a CI pipeline
   * would (docs/debug-info.md); before that, the session fails saying where to publish it.
   */
  @Test
  @Order(5)
  void aStrippedTargetIsDebuggedWithDebugInfoPublishedByBuildId() throws Exception {
    Map<String, String> pods = chart.runningPods(PRIVILEGED, STRIPPED);
    String target = pods.keySet().iterator().next();
    start(new TracedTraffic(pods, "/work/sleep?ms=300", Duration.ofMillis(250), 1_000));
    String buildId = gnuBuildId(TestEnvironment.get().strippedDemoService());
    String key = "debuginfo/" + buildId + "/debuginfo";

    DebugSession unpublished = runSession(PRIVILEGED, delveSession(target).replace("checkout-delve", "stripped-unpublished"));
    assertThat(unpublished.getStatus().getPhase()).as(describe(unpublished)).isEqualTo(SessionPhase.Failed);
    assertThat(describe(unpublished)).contains("DebugInfoNotPublished", "s3://gopherscope/" + key);
    awaitDebuggerExit(PRIVILEGED, target); // pre-flight admits one live debugger per pod

    chart.upload("gopherscope", key, TestEnvironment.get().demoServiceDebugInfo());
    DebugSession done = runSession(PRIVILEGED, delveSession(target).replace("checkout-delve", "stripped-published"));
    assertThat(done.getStatus().getPhase()).as(describe(done)).isEqualTo(SessionPhase.Succeeded);
    assertThat(done.getStatus().getTargets()).singleElement()
        .satisfies(t -> assertThat(t.getReport().getDebugInfoBuildId()).isEqualTo(buildId));
    Artifact snapshotArtifact = done.getStatus().getArtifacts().stream().filter(a -> a.getName().startsWith("snapshot-"))
        .findFirst().orElseThrow(() -> new AssertionError("no snapshot artifact: " + describe(done)));
    String snapshot = new String(download(snapshotArtifact), StandardCharsets.UTF_8);
    assertThat(snapshot).as("the hit's function, file and typed argument, read through the published DWARF")
        .contains("main.sleepFor", "workloads.go", "time.Duration");
    assertThat(client.secrets().inNamespace(PRIVILEGED).list().getItems())
        .as("the presigned download URL went with the session").noneMatch(secret -> secret.getMetadata().getName()
            .endsWith("-debuginfo") && secret.getMetadata().getName().contains("stripped-published"));
    System.out.printf("[e2e] %s: stripped target, debug info %s fetched by build ID; attach paused %d ms%n", target,
        key, done.getStatus().getTargets().get(0).getReport().getAttachPausedMs());
  }

  /**
   * The kubectl plugin where users run it: one command against the real node turns a Deployment into
   * a session, follows it, downloads both pods' artifacts with the user's own S3 credentials
   * (sha256 checked) and prints what it found; then a heap profile, an execution trace (the trace
   * helper in the real sidecar image) and a breakpoint snapshot through Delve, each one command.
   */
  @Test
  @Order(6)
  void thePluginDebugsADeploymentOnTheRealNodeInOneCommand() throws Exception {
    Map<String, String> pods = podIps(RESTRICTED);
    start(new TracedTraffic(pods, "/work/block?ms=4000", Duration.ofMillis(200), 1_000));
    Thread.sleep(1_500);
    Path workDir = TestEnvironment.scratchDir("plugin-on-node");
    PluginCli cli = new PluginCli(PluginCli.builtLauncher(), node.kubeconfig(), workDir, Map.of(
        "AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey(), "AWS_REGION", "us-east-1"));

    long started = System.nanoTime();
    PluginCli.Result run = cli.run("goroutines", "deploy/" + ChartOnNode.DEMO_APP, "-n", RESTRICTED,
        "--pprof-port", "6060", "--process", "demo-service", "--max-pods", "2", "--name", "plugin-goroutines",
        "--s3-endpoint", s3.endpoint().toString(), "--progress", "plain");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.stdout()).contains("plugin-goroutines: Succeeded", "Largest goroutine groups", "main.waitOnChannel",
        "sha256 checked");
    for (String pod : pods.keySet()) {
      assertThat(workDir.resolve("gopherscope/plugin-goroutines").resolve(pod).resolve("goroutines-1.pb.gz"))
          .as("downloaded for %s", pod).isNotEmptyFile();
    }
    System.out.printf("[e2e] kubectl gopherscope goroutines deploy/%s: Succeeded on %d pods, artifacts downloaded "
        + "and checked, in %d ms%n", ChartOnNode.DEMO_APP, pods.size(), tookMs);

    PluginCli.Result heap = cli.run("heap", "deploy/" + ChartOnNode.DEMO_APP, "-n", RESTRICTED, "--pprof-port", "6060",
        "--process", "demo-service", "--name", "plugin-heap", "--s3-endpoint", s3.endpoint().toString(),
        "--progress", "plain");
    assertThat(heap.exitCode()).as(heap.all()).isZero();
    assertThat(workDir.resolve("gopherscope/plugin-heap")).isDirectoryRecursivelyContaining("glob:**/heap.pb.gz");

    PluginCli.Result trace = cli.run("trace", "deploy/" + ChartOnNode.DEMO_APP, "-n", RESTRICTED, "--pprof-port", "6060",
        "--process", "demo-service", "--duration", "2s", "--label-key", "trace_id", "--name", "plugin-trace",
        "--s3-endpoint", s3.endpoint().toString(), "--progress", "plain");
    assertThat(trace.exitCode()).as(trace.all()).isZero();
    assertThat(trace.stdout()).contains("Execution trace: ", "GC pauses", "scheduler latency");
    assertThat(workDir.resolve("gopherscope/plugin-trace")).isDirectoryRecursivelyContaining("glob:**/trace.out")
        .isDirectoryRecursivelyContaining("glob:**/trace-summary.json");

    // Delve through the plugin: a privileged namespace, a breakpoint on a handler under load.
    String target = podIps(PRIVILEGED).keySet().iterator().next();
    start(new TracedTraffic(Map.of(target, podIps(PRIVILEGED).get(target)), "/work/sleep?ms=300",
        Duration.ofMillis(250), 1_000));
    PluginCli.Result snapshot = cli.run("snapshot", "pod/" + target, "-n", PRIVILEGED, "--location", "main.sleepFor",
        "--process", "demo-service", "--pause-budget", "2s", "--attach-pause-budget", "15s", "--name",
        "plugin-snapshot", "--s3-endpoint", s3.endpoint().toString(), "--progress", "plain");
    assertThat(snapshot.exitCode()).as(snapshot.all()).isZero();
    Path snapshots = workDir.resolve("gopherscope/plugin-snapshot").resolve(target);
    assertThat(snapshots).isDirectoryContaining("glob:**/snapshot-*.json");
    try (Stream<Path> files = Files.list(snapshots)) {
      Path file = files.filter(f -> f.getFileName().toString().startsWith("snapshot-")).findFirst().orElseThrow();
      assertThat(Files.readString(file)).contains("main.sleepFor", "time.Duration");
    }
  }

  @Test
  @Order(7)
  void theRuntimeCapturesRunOnTheNodeAndPutBackWhatTheySwitchedOn() throws Exception {
    Map<String, String> pods = podIps(PRIVILEGED);
    String target = pods.keySet().iterator().next();
    // A process has one debugger at a time: the plugin's snapshot session's sidecar must have exited.
    awaitDebuggerExit(PRIVILEGED, target);
    // Contended locks and blocked channel waits for the switched-on profiles, allocations for the heap.
    start(new TracedTraffic(Map.of(target, pods.get(target)), List.of("/work/lock?ms=200", "/work/block?ms=300",
        "/work/retain?kb=64"), Duration.ofMillis(150), 400));
    DebugSession done = runSession(PRIVILEGED, """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: checkout-runtime}
        spec:
          target: {podName: %s, container: app, processName: demo-service}
          pprof: {port: 6060}
          captures:
            - {kind: RuntimeHealth, duration: 2s}
            - {kind: Heap, every: 1s, count: 2}
            - {kind: Mutex, mutexProfileFraction: 1, duration: 2s}
            - {kind: Block, blockProfileRate: 1, duration: 2s}
            - {kind: GoroutineLeaks, every: 1s, count: 2}
          pauseBudget: 2s
          attachPauseBudget: 15s
          timeout: 3m
        """.formatted(target));
    assertThat(done.getStatus().getPhase()).as(describe(done)).isEqualTo(SessionPhase.Succeeded);
    var results = done.getStatus().getResults();
    assertThat(results.getRuntimeHealth()).singleElement().satisfies(h -> {
      assertThat(h.getGoroutines()).isPositive();
      assertThat(h.getHeapInuseBytes()).isPositive();
    });
    assertThat(results.getProfilingRates()).extracting(r -> r.getVariable())
        .containsExactlyInAnyOrder("runtime.mutexprofilerate", "runtime.blockprofilerate");
    assertThat(results.getProfilingRates()).allSatisfy(r -> assertThat(r.getRestored()).as("put back").isTrue());
    List<String> names = done.getStatus().getArtifacts().stream().map(Artifact::getName).toList();
    assertThat(names).contains("runtime-health.json", "heap-growth.pb.gz", "heap-growth.html", "mutex.pb.gz",
        "block.pb.gz", "goroutine-leaks.json");
    for (Artifact artifact : done.getStatus().getArtifacts()) {
      assertThat(sha256(download(artifact))).as(artifact.getName()).isEqualTo(artifact.getSha256());
    }
    System.out.printf("[e2e] %s: RuntimeHealth, Heap growth, Mutex and Block switched on and put back, GoroutineLeaks: "
        + "Succeeded, paused %d ms in all%n", target, done.getStatus().getPausedMs());
  }

  @Test
  @Order(8)
  void aBreakpointTriggerWaitsArmedThenTheCapturesFollowTheRequestThatHit() throws Exception {
    Map<String, String> pods = podIps(PRIVILEGED);
    String target = pods.keySet().iterator().next();
    awaitDebuggerExit(PRIVILEGED, target);
    String name = "checkout-armed";
    client.resources(DebugSession.class).inNamespace(PRIVILEGED).resource(session("""
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: %s}
        spec:
          target: {podName: %s, container: app, processName: demo-service}
          pprof: {port: 6060}
          trigger:
            breakpoint: {location: main.burnCPU, condition: "d > 2000000000"}
          captures:
            - {kind: CPUProfile, duration: 1s}
            - {kind: Goroutines}
          pauseBudget: 2s
          attachPauseBudget: 15s
          timeout: 3m
        """.formatted(name, target))).create();
    long started = System.nanoTime();
    DebugSession armed = client.resources(DebugSession.class).inNamespace(PRIVILEGED).withName(name).waitUntilCondition(
        s -> s != null && s.getStatus() != null && (s.getStatus().getPhase() == SessionPhase.Armed
            || s.getStatus().getPhase() != null && s.getStatus().getPhase().isFinal()),
        2, TimeUnit.MINUTES);
    assertThat(armed.getStatus().getPhase()).as(describe(armed)).isEqualTo(SessionPhase.Armed);
    long armedMs = (System.nanoTime() - started) / 1_000_000;
    Thread.sleep(4_000); // dlv attaches and sets the breakpoint; nothing calls burnCPU yet
    DebugSession waiting = client.resources(DebugSession.class).inNamespace(PRIVILEGED).withName(name).get();
    assertThat(waiting.getStatus().getPhase()).as("nothing has reached main.burnCPU: still waiting; %s",
        describe(waiting)).isEqualTo(SessionPhase.Armed);

    // Short burners never satisfy the condition, long ones do: the first long one after arming is the hit,
    // and the ones after it are other requests the filtered captures must leave out.
    TracedTraffic load = start(new TracedTraffic(Map.of(target, pods.get(target)),
        List.of("/work/cpu?ms=300", "/work/cpu?ms=4000"), Duration.ofMillis(700), 40));
    DebugSession done = awaitFinished(PRIVILEGED, name);
    long totalMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(done.getStatus().getPhase()).as(describe(done)).isEqualTo(SessionPhase.Succeeded);
    assertThat(done.getStatus().getTrigger().getState()).isEqualTo(TriggerState.Fired);
    assertThat(done.getStatus().getTrigger().getFiredTargets()).isEqualTo(1);
    assertThat(done.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Triggered")).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo(SessionCondition.ConditionStatus.True));
    Map<String, byte[]> files = new java.util.HashMap<>();
    for (Artifact artifact : done.getStatus().getArtifacts()) {
      byte[] bytes = download(artifact);
      assertThat(sha256(bytes)).as(artifact.getName()).isEqualTo(artifact.getSha256());
      files.put(artifact.getName(), bytes);
    }
    assertThat(files).containsKeys("trigger.json", "cpu.pb.gz", "goroutines-1.json");
    com.fasterxml.jackson.databind.JsonNode trigger = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(files.get("trigger.json"));
    assertThat(trigger.path("hit").path("stack").get(0).path("function").asText()).isEqualTo("main.burnCPU");
    assertThat(trigger.path("hit").path("labels").path("route").asText()).isEqualTo("/work/cpu");
    String hitTrace = trigger.path("hit").path("labels").path("trace_id").asText();
    assertThat(load.traceIdsSentTo(target)).contains(hitTrace);
    PprofProfile cpu = new PprofDecoder().decode(files.get("cpu.pb.gz"));
    java.util.Set<String> traces = new java.util.TreeSet<>();
    for (int s = 0; s < cpu.samples().size(); s++) {
      for (int j = 0; j < cpu.samples().labelCount(s); j++) {
        if (cpu.string(cpu.samples().labelKey(s, j)).equals("trace_id")) {
          traces.add(cpu.string(cpu.samples().labelStr(s, j)));
        }
      }
    }
    assertThat(traces).as("the CPU profile keeps only the request that hit").containsExactly(hitTrace);
    assertThat(load.failed()).as("requests the target failed while armed and debugged: %s", load.failures()).isZero();
    System.out.printf("[e2e] %s: Armed %d ms after apply, fired on request %s, Succeeded %d ms after apply; the CPU "
        + "profile holds that request alone; paused %d ms in all%n", name, armedMs, hitTrace, totalMs,
        done.getStatus().getPausedMs());
  }

  /**
   * The chart's embedded object store (objectStore.embedded.enabled=true: our s3proxy image as a
   * Deployment of the release) holds the artifacts, and the plugin, given nothing but the
   * kubeconfig (no AWS credentials, no endpoint), fetches them through a port-forward to that pod,
   * with the credentials from the chart's Secret. This node has no cluster DNS, so the operator
   * is pointed at the store's Service by its ClusterIP, as it would reach it by name elsewhere.
   * Runs last: it reconfigures the release, and puts the host store back when done.
   */
  @Test
  @Order(9)
  void thePluginFetchesFromTheChartsEmbeddedStoreWithNothingButTheKubeconfig() throws Exception {
    long enableMs = chart.upgrade("objectStore.embedded.enabled=true");
    Service store = client.services().inNamespace(ChartOnNode.RELEASE_NAMESPACE)
        .withLabel("app.kubernetes.io/component", "object-store").list().getItems().get(0);
    Pod storePod = client.pods().inNamespace(ChartOnNode.RELEASE_NAMESPACE)
        .withLabels(store.getSpec().getSelector()).list().getItems().get(0);
    assertThat(storePod.getSpec().getContainers().get(0).getImage())
        .isEqualTo("gopherscope/s3proxy:" + TestEnvironment.get().projectVersion());
    String inCluster = "http://" + store.getSpec().getClusterIP() + ":" + store.getSpec().getPorts().get(0).getPort();
    try {
      long switchMs = chart.upgrade("objectStore.endpoint=" + inCluster);
      System.out.printf("[e2e] embedded store: s3proxy Ready in %d ms, operator on %s in %d ms%n", enableMs, inCluster,
          switchMs);
      Map<String, String> pods = podIps(RESTRICTED);
      start(new TracedTraffic(pods, "/work/block?ms=4000", Duration.ofMillis(200), 1_000));
      Thread.sleep(1_500);
      Path workDir = TestEnvironment.scratchDir("plugin-chart-store");
      PluginCli cli = new PluginCli(PluginCli.builtLauncher(), node.kubeconfig(), workDir, Map.of());
      assertThat(cli.environment()).doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL");

      PluginCli.Result run = cli.run("goroutines", "deploy/" + ChartOnNode.DEMO_APP, "-n", RESTRICTED,
          "--pprof-port", "6060", "--process", "demo-service", "--max-pods", "2", "--name", "chart-store-goroutines",
          "--progress", "plain");

      assertThat(run.exitCode()).as(run.all()).isZero();
      assertThat(run.stdout()).contains("chart-store-goroutines: Succeeded", "Largest goroutine groups",
          "main.waitOnChannel", "sha256 checked; fetched from the embedded store (pod " + ChartOnNode.RELEASE_NAMESPACE
              + "/" + storePod.getMetadata().getName() + ", port-forwarded) in ");
      DebugSession done = client.resources(DebugSession.class).inNamespace(RESTRICTED).withName("chart-store-goroutines")
          .get();
      List<Artifact> artifacts = done.getStatus().getArtifacts();
      assertThat(artifacts).extracting(Artifact::getPod).containsAll(pods.keySet());
      for (Artifact artifact : artifacts) {
        Path file = workDir.resolve("gopherscope/chart-store-goroutines").resolve(artifact.getPod())
            .resolve(artifact.getName());
        assertThat(sha256(Files.readAllBytes(file))).as("%s, as the status records it", file)
            .isEqualTo(artifact.getSha256());
        // Not on the host's store (no such key, or no such bucket when this test runs alone).
        assertThatThrownBy(() -> download(artifact)).as("%s is only in the embedded store", artifact.getUri())
            .isInstanceOf(S3Exception.class).extracting(e -> ((S3Exception) e).statusCode()).isEqualTo(404);
      }
      Matcher fetched = Pattern.compile("port-forwarded\\) in (\\d+) ms").matcher(run.stdout());
      assertThat(fetched.find()).isTrue();
      System.out.printf("[e2e] kubectl gopherscope goroutines with the chart's store: %d artifacts (%d bytes) "
          + "through the port-forward in %s ms%n", artifacts.size(),
          artifacts.stream().mapToLong(Artifact::getBytes).sum(), fetched.group(1));
    } finally {
      long backMs = chart.upgrade("objectStore.endpoint=" + s3.endpoint(), "objectStore.embedded.enabled=false");
      System.out.printf("[e2e] release back on the host store in %d ms%n", backMs);
    }
  }

  @Test
  @Order(10)
  void everyOtherVerbOfThePluginRunsOnTheNode() throws Exception {
    Map<String, String> pods = podIps(RESTRICTED);
    String pod = pods.keySet().iterator().next();
    Path workDir = TestEnvironment.scratchDir("plugin-verbs-on-node");
    PluginCli cli = new PluginCli(PluginCli.builtLauncher(), node.kubeconfig(), workDir, Map.of(
        "AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey(), "AWS_REGION", "us-east-1"));
    List<String> verbs = new ArrayList<>();
    long started = System.nanoTime();

    // One trace served by both pods, its requests parked: trace-stacks finds it in each.
    String traceId = TracedTraffic.traceId();
    try (TracedTraffic oneTrace = TracedTraffic.oneTrace(pods, "/work/block?ms=60000", traceId, Duration.ofMillis(100), 6)) {
      Thread.sleep(1_500);
      PluginCli.Result r = cli.run(onNode(RESTRICTED, "trace-stacks", "deploy/" + ChartOnNode.DEMO_APP, "--traceparent",
          "00-" + traceId + "-00f067aa0ba902b7-01", "--max-pods", "2", "--name", "verbs-trace-stacks"));
      assertThat(r.exitCode()).as(r.all()).isZero();
      assertThat(r.stdout()).containsPattern(traceId + "  [1-9]\\d* goroutines, [1-9]\\d* blocked across 2 pods  ");
      verbs.add("trace-stacks");
    }

    try (TracedTraffic busy = new TracedTraffic(Map.of(pod, pods.get(pod)), "/work/cpu?ms=3000", Duration.ofMillis(500), 30)) {
      PluginCli.Result cpu = cli.run(onNode(RESTRICTED, "cpu", "pod/" + pod, "--duration", "2s", "--name", "verbs-cpu"));
      assertThat(cpu.exitCode()).as(cpu.all()).isZero();
      // burnCPU hashes: its own frames are sha256's; the flame graph holds the caller.
      assertThat(cpu.stdout()).contains("Top CPU frames, pod " + pod).containsPattern("\\d+\\.\\d%  \\S*sha256");
      verbs.add("cpu");
    }
    Path browser = workDir.resolve("browser.sh");
    Path opened = workDir.resolve("opened.txt");
    Files.writeString(browser, "#!/bin/sh\necho \"$1\" > " + opened + "\n");
    assertThat(browser.toFile().setExecutable(true)).isTrue();
    PluginCli.Result open = cli.withEnv(Map.of("BROWSER", browser.toString())).run("open", "verbs-cpu", "-n", RESTRICTED);
    assertThat(open.exitCode()).as(open.all()).isZero();
    assertThat(Path.of(Files.readString(opened).strip())).hasFileName("cpu.html").content().contains("burnCPU");
    verbs.add("open");

    PluginCli.Result allocs = cli.run(onNode(RESTRICTED, "allocs", "pod/" + pod, "--name", "verbs-allocs"));
    assertThat(allocs.exitCode()).as(allocs.all()).isZero();
    assertThat(workDir.resolve("gopherscope/verbs-allocs").resolve(pod).resolve("allocs.pb.gz")).isNotEmptyFile();
    verbs.add("allocs");

    PluginCli.Result health = cli.run(onNode(RESTRICTED, "health", "pod/" + pod, "--duration", "2s",
        "--name", "verbs-health"));
    assertThat(health.exitCode()).as(health.all()).isZero();
    assertThat(health.stdout()).containsPattern("Runtime health \\[" + pod + "\\] over 2 s: [0-9.]+ GC/min")
        .containsPattern("[0-9]+ goroutines");
    verbs.add("health");

    // Goroutines that never end, more every half second: the leak verb sees them grow, diff sees them appear.
    PluginCli.Result before = cli.run(onNode(RESTRICTED, "goroutines", "pod/" + pod, "--name", "verbs-before-leak",
        "--no-download"));
    assertThat(before.exitCode()).as(before.all()).isZero();
    try (TracedTraffic leaking = new TracedTraffic(Map.of(pod, pods.get(pod)), "/work/leak?n=25", Duration.ofMillis(500),
        40)) {
      PluginCli.Result leaks = cli.run(onNode(RESTRICTED, "leaks", "pod/" + pod, "--count", "3", "--every", "1s",
          "--name", "verbs-leaks"));
      assertThat(leaks.exitCode()).as(leaks.all()).isZero();
      assertThat(leaks.stdout()).containsPattern("Growth +\\[\\d+, \\d+, \\d+\\]  main\\.leakedWorker");
      verbs.add("leaks");
    }
    PluginCli.Result after = cli.run(onNode(RESTRICTED, "goroutines", "pod/" + pod, "--name", "verbs-after-leak",
        "--no-download"));
    assertThat(after.exitCode()).as(after.all()).isZero();
    PluginCli.Result diff = cli.run("diff", "verbs-before-leak", "verbs-after-leak", "-n", RESTRICTED,
        "--s3-endpoint", s3.endpoint().toString());
    assertThat(diff.exitCode()).as(diff.all()).isZero();
    assertThat(diff.stdout()).containsPattern("verbs-before-leak -> verbs-after-leak: \\d+ -> \\d+ goroutines \\(\\+\\d+\\)")
        .containsPattern("(?s)(Grew|Appeared):.*main\\.leakedWorker");
    verbs.add("diff");

    // Mutex and block profiling switched on in place need Delve: the privileged namespace.
    Map<String, String> privileged = podIps(PRIVILEGED);
    String target = privileged.keySet().iterator().next();
    try (TracedTraffic contention = new TracedTraffic(Map.of(target, privileged.get(target)),
        List.of("/work/lock?ms=200", "/work/block?ms=100"), Duration.ofMillis(100), 600)) {
      // The demo runs with both at 1: other values, so that putting the app's own back is seen.
      for (String[] verb : List.of(new String[] {"mutex", "--fraction", "3", "runtime\\.mutexprofilerate set to 3 \\(was 1\\)"},
          new String[] {"block", "--rate", "1000", "runtime\\.blockprofilerate set to \\d+ \\(was \\d+\\)"})) {
        awaitDebuggerExit(PRIVILEGED, target);
        PluginCli.Result r = cli.run(onNode(PRIVILEGED, verb[0], "pod/" + target, verb[1], verb[2], "--duration", "2s",
            "--attach-pause-budget", "15s", "--pause-budget", "2s", "--name", "verbs-" + verb[0]));
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).containsPattern("Profiling switched on in place \\[" + target + "\\]: " + verb[3]
            + ", put back by Delve");
        assertThat(workDir.resolve("gopherscope/verbs-" + verb[0]).resolve(target).resolve(verb[0] + ".pb.gz"))
            .isNotEmptyFile();
        verbs.add(verb[0]);
      }
    }

    PluginCli.Result ls = cli.run("ls", "-n", RESTRICTED);
    assertThat(ls.exitCode()).as(ls.all()).isZero();
    assertThat(ls.stdout()).containsPattern("verbs-trace-stacks\\s+Succeeded\\s+2/2")
        .containsPattern("verbs-leaks\\s+Succeeded\\s+1/1");
    PluginCli.Result get = cli.run("get", "verbs-health", "-n", RESTRICTED);
    assertThat(get.exitCode()).as(get.all()).isZero();
    assertThat(get.stdout()).contains("verbs-health: Succeeded").containsPattern("Runtime health \\[" + pod + "\\]");
    verbs.addAll(List.of("ls", "get"));

    // A session file as the examples give it, through the plugin instead of kubectl apply.
    PluginCli.Result fromFile = cli.run("run", "-f", TestEnvironment.get().repoRoot()
        .resolve("examples/sessions/trace-stacks.yaml").toString(), "-n", RESTRICTED, "--s3-endpoint",
        s3.endpoint().toString(), "--progress", "plain");
    assertThat(fromFile.exitCode()).as(fromFile.all()).isZero();
    assertThat(fromFile.stdout()).contains("debugsession " + RESTRICTED + "/checkout-slow-trace created",
        "checkout-slow-trace: Succeeded");
    verbs.add("run -f");
    System.out.printf("[e2e] kubectl gopherscope %s: each on the node, in %d ms in all%n", String.join(", ", verbs),
        (System.nanoTime() - started) / 1_000_000);
  }

  /** The flags every capture verb here shares: the demo's pprof port and process, the host's S3, plain progress. */
  private String[] onNode(String namespace, String... args) {
    return Stream.concat(Stream.of(args), Stream.of("-n", namespace, "--pprof-port", "6060", "--process",
        "demo-service", "--s3-endpoint", s3.endpoint().toString(), "--progress", "plain")).toArray(String[]::new);
  }

  private static String gnuBuildId(Path binary) throws Exception {
    Process readelf = new ProcessBuilder("readelf", "-n", binary.toString()).redirectErrorStream(true).start();
    String notes = new String(readelf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(readelf.waitFor()).as(notes).isZero();
    Matcher id = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(notes);
    assertThat(id.find()).as("a GNU build ID in %s: %s", binary, notes).isTrue();
    return id.group(1);
  }

  private void awaitDebuggerLog(String namespace, String pod, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    String log = "";
    while (System.nanoTime() < deadline) {
      List<EphemeralContainer> debuggers = client.pods().inNamespace(namespace).withName(pod).get().getSpec()
          .getEphemeralContainers();
      if (!debuggers.isEmpty()) {
        log = chart.containerLog(namespace, pod, debuggers.get(debuggers.size() - 1).getName(), 100);
        if (log.contains(text)) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the debugger in " + pod + " never logged \"" + text + "\"; its log:\n" + log);
  }

  /**
   * The attach budget is generous: these tests are about ptrace across containers on a real node,
   * not about budgets (AttachPauseBudgetIT is), and a CI machine shared with other work can take
   * seconds to attach where an idle one takes under one.
   */
  private static String delveSession(String pod) {
    return """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: checkout-delve}
        spec:
          target: {podName: %s, container: app, processName: demo-service}
          captures:
            - {kind: Snapshot, location: main.sleepFor, maxHits: 2, loadLocals: true}
            - {kind: Goroutines, source: Delve}
          pauseBudget: 2s
          attachPauseBudget: 15s
          timeout: 3m
        """.formatted(pod);
  }

  /** The sidecar exits after its final report, which is what ends the session: give it a moment. */
  private Pod awaitDebuggerExit(String namespace, String pod) {
    return client.pods().inNamespace(namespace).withName(pod).waitUntilCondition(p -> p.getStatus()
        .getEphemeralContainerStatuses().stream().allMatch(s -> s.getState().getTerminated() != null), 60, TimeUnit.SECONDS);
  }

  private TracedTraffic start(TracedTraffic load) {
    traffic.add(load);
    return load;
  }

  private DebugSession runSession(String namespace, String yaml) {
    DebugSession session = session(yaml);
    long started = System.nanoTime();
    client.resources(DebugSession.class).inNamespace(namespace).resource(session).create();
    DebugSession done = awaitFinished(namespace, session.getMetadata().getName());
    System.out.printf("[e2e] %s/%s: applied -> %s in %d ms%n", namespace, session.getMetadata().getName(),
        done.getStatus().getPhase(), (System.nanoTime() - started) / 1_000_000);
    return done;
  }

  private DebugSession session(String yaml) {
    return client.resources(DebugSession.class).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .item();
  }

  private DebugSession awaitFinished(String namespace, String name) {
    return client.resources(DebugSession.class).inNamespace(namespace).withName(name).waitUntilCondition(
        s -> s != null && s.getStatus() != null
            && s.getStatus().getPhase() != null && s.getStatus().getPhase().isFinal(),
        SESSION_WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Everything a failure message needs: the session's status and the node's side of the story. */
  private String describe(DebugSession session) {
    StringBuilder text = new StringBuilder(client.getKubernetesSerialization().asYaml(session.getStatus()));
    for (TargetStatus target : session.getStatus().getTargets() == null ? List.<TargetStatus>of() : session.getStatus().getTargets()) {
      if (target.getDebuggerContainer() != null) {
        text.append("\n--- debugger container ").append(target.getPod()).append('/').append(target.getDebuggerContainer())
            .append('\n').append(chart.containerLog(session.getMetadata().getNamespace(), target.getPod(),
            target.getDebuggerContainer(), 60));
      }
    }
    return text.append("\n--- operator\n").append(chart.operatorLog(40)).append("\n--- kubelet\n").append(node.logTail("kubelet", 20))
        .toString();
  }

  /** Running pods of the checkout Deployment, name to IP. */
  private Map<String, String> podIps(String namespace) {
    Map<String, String> ips = chart.runningPods(namespace, ChartOnNode.DEMO_APP);
    assertThat(ips).as("running checkout pods in %s", namespace).hasSize(2);
    return ips;
  }

  private byte[] download(Artifact artifact) {
    return chart.download(artifact.getUri());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

}
