package dev.gopherscope.bench;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.testsupport.ChartOnNode;
import dev.gopherscope.testsupport.LocalNode;
import dev.gopherscope.testsupport.S3Server;
import dev.gopherscope.testsupport.TracedTraffic;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 12, step 7: the product on a real node (kubelet, containerd, runc; {@link LocalNode}),
 * installed by its chart. For a pprof-only session and a Delve session, each against a fresh
 * demo pod under traced load: {@code apply → Succeeded} with the debugger image's start included,
 * the debugger container's peak memory as its cgroup (and so the pod's limit) accounts it, and the
 * longest the target's heartbeat goroutine went without running.
 */
final class NodeBench {

  static final String SECTION = "6. On a real node: apply → Succeeded, debugger memory, target stall";
  private static final String NAMESPACE = "bench-node";
  private static final String COMMAND = "make bench BENCH=node";
  private static final double MIB = 1 << 20;

  private NodeBench() {
  }

  static void run(BenchResults results, Path repo) throws Exception {
    String why = LocalNode.whyUnavailable();
    if (why != null) {
      results.note(SECTION, "**Not measured: this machine cannot run a real node** (" + why + ").");
      return;
    }
    List<Path> images = List.of(repo.resolve("operator/target/jib-image.tar"), repo.resolve("sidecar/target/jib-image.tar"));
    for (Path image : images) {
      if (!Files.isRegularFile(image)) {
        throw new IllegalStateException(image + " is missing: `make bench` builds it with `make image-tars`");
      }
    }
    LocalNode node = LocalNode.shared(images);
    try (S3Server s3 = S3Server.startOn(LocalNode.HOST_ADDRESS);
         ChartOnNode chart = ChartOnNode.install(node, s3)) {
      results.add(new BenchResults.Figure(SECTION, "helm install --wait (operator image started, Ready)",
          chart.installMillis(), "ms", null, null, "", COMMAND));
      chart.deployDemo(NAMESPACE, "privileged", "bench-pprof", 1, List.of("-idle", "1000"));
      chart.deployDemo(NAMESPACE, "privileged", "bench-delve", 1, List.of("-idle", "1000"));
      chart.awaitReady(NAMESPACE, "bench-pprof", Duration.ofMinutes(2));
      chart.awaitReady(NAMESPACE, "bench-delve", Duration.ofMinutes(2));
      measure(results, chart, "pprof-only session (Goroutines ×2, TraceStacks, CPUProfile 3 s; no halt)", "bench-pprof",
          "/work/block?ms=3000", """
          target: {selector: {matchLabels: {app: bench-pprof}}, container: app, processName: demo-service}
          pprof: {port: 6060}
          filter: {labelKeys: [trace_id]}
          captures:
            - {kind: Goroutines, every: 2s, count: 2}
            - {kind: TraceStacks}
            - {kind: CPUProfile, duration: 3s}
          """);
      measure(results, chart, "Delve session (Goroutines from Delve, Snapshot with locals ×2)", "bench-delve",
          "/work/sleep?ms=200", """
          target: {selector: {matchLabels: {app: bench-delve}}, container: app, processName: demo-service}
          captures:
            - {kind: Goroutines, source: Delve}
            - {kind: Snapshot, location: main.sleepFor, maxHits: 2, loadLocals: true}
          pauseBudget: 2s
          """);
    } finally {
      node.close();
    }
  }

  private static void measure(BenchResults results, ChartOnNode chart, String label, String app, String route,
      String spec) throws Exception {
    KubernetesClient client = chart.client();
    Map<String, String> pods = chart.runningPods(NAMESPACE, app);
    String pod = pods.keySet().iterator().next();
    String ip = pods.get(pod);
    Heartbeat before = heartbeat(ip);
    String yaml = "apiVersion: gopherscope.dev/v1alpha1\nkind: DebugSession\nmetadata: {name: " + app + "}\nspec:\n"
        + spec.indent(2) + "  timeout: 3m\n";
    DebugSession session = client.resources(DebugSession.class)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).item();
    DebugSession done;
    ContainerMemoryWatch memory;
    try (TracedTraffic traffic = new TracedTraffic(pods, route, Duration.ofMillis(100), 2_000)) {
      Thread.sleep(1_000); // traced requests in flight before the session starts
      memory = new ContainerMemoryWatch(() -> debuggerContainerId(client, pod));
      long started = System.nanoTime();
      client.resources(DebugSession.class).inNamespace(NAMESPACE).resource(session).create();
      done = client.resources(DebugSession.class).inNamespace(NAMESPACE).withName(app).waitUntilCondition(
          s -> s != null && s.getStatus() != null && (s.getStatus().getPhase() == SessionPhase.Succeeded
              || s.getStatus().getPhase() == SessionPhase.Failed), 4, TimeUnit.MINUTES);
      double applyToDone = (System.nanoTime() - started) / 1e6;
      // The sidecar exits after its final report: let the watch see the container's last moments.
      client.pods().inNamespace(NAMESPACE).withName(pod).waitUntilCondition(p -> p.getStatus()
          .getEphemeralContainerStatuses().stream().allMatch(c -> c.getState().getTerminated() != null), 60,
          TimeUnit.SECONDS);
      memory.close();
      boolean ok = done.getStatus().getPhase() == SessionPhase.Succeeded;
      results.add(new BenchResults.Figure(SECTION, label + ": kubectl apply → Succeeded", applyToDone, "ms", null, null,
          (ok ? "Succeeded" : "**" + done.getStatus().getPhase() + ": " + done.getStatus().getMessage() + "**")
              + "; debugger image start included; requests failed during the session: " + traffic.failed(), COMMAND));
    }
    results.add(new BenchResults.Figure(SECTION, label + ": debugger container peak memory (cgroup usage)",
        round(memory.peakBytes() / MIB), "MiB", null, null, String.format(Locale.ROOT,
            "resident (anonymous) peak %.1f MiB; all of the debugger container (the sidecar JVM, and dlv for Delve), as "
                + "the pod's limit counts it",
            memory.peakRssBytes() / MIB), COMMAND));
    Heartbeat.Gap gap = Heartbeat.between(before, heartbeat(ip));
    results.add(new BenchResults.Figure(SECTION, label + ": target's longest stall", round(gap.ms()), "ms", null, null,
        (gap.exact() ? "" : "no longer than this (the gap did not grow past the pod's earlier maximum); ")
            + "the status says paused " + done.getStatus().getPausedMs() + " ms", COMMAND));
  }

  private static String debuggerContainerId(KubernetesClient client, String pod) {
    Pod p = client.pods().inNamespace(NAMESPACE).withName(pod).get();
    return p.getStatus().getEphemeralContainerStatuses().stream().map(ContainerStatus::getContainerID)
        .filter(id -> id != null && !id.isEmpty()).map(id -> id.replace("containerd://", "")).findFirst().orElse(null);
  }

  private static Heartbeat heartbeat(String ip) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return Heartbeat.parse(http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/heartbeat"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
