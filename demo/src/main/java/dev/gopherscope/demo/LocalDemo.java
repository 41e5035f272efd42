package dev.gopherscope.demo;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.StackGroupSummary;
import dev.gopherscope.api.v1alpha1.TraceStackSummary;
import dev.gopherscope.operator.OperatorMain;
import dev.gopherscope.operator.config.OperatorConfigLoader;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.S3Server;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code make demo}: the whole product on this machine, on real components. A real
 * kube-apiserver + etcd, the CRD, the operator, s3proxy, the Go demo service under traced load,
 * and one DebugSession applied with the real kubectl. There is no kubelet here, so the injected
 * debugger container is started as a local process with exactly the command, args and env the
 * operator wrote into the ephemeral container spec, and the demo says so.
 */
public final class LocalDemo {

  private static final String NAMESPACE = "shop";
  private static final String POD = "checkout-0";
  private static final long STARTED = System.nanoTime();

  private LocalDemo() {
  }

  public static void main(String[] args) {
    int exit = 0;
    try {
      run(args);
    } catch (Exception e) {
      System.err.println("[demo] FAILED: " + e.getMessage());
      e.printStackTrace();
      exit = 1;
    }
    // Library threads (HTTP clients, informers) must not keep a finished demo alive.
    System.exit(exit);
  }

  private static void run(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "demo-out").toAbsolutePath();
    Path sidecarClasspath = Path.of(args.length > 1 ? args[1] : "sidecar/target/classpath.txt").toAbsolutePath();
    Path sidecarJar = Path.of(args.length > 2 ? args[2] : "sidecar/target/gopherscope-sidecar-0.1.0-SNAPSHOT.jar")
        .toAbsolutePath();
    Files.createDirectories(out);

    step("checking the real components (the first run builds them: several minutes)");
    TestEnvironment env = TestEnvironment.get();
    step("starting kube-apiserver " + env.kubernetesVersion() + " + etcd");
    KubernetesApiServer api = KubernetesApiServer.shared();
    Files.writeString(out.resolve("kubeconfig"), api.kubeconfigYaml());
    try (KubernetesClient client = api.newClient();
         S3Server s3 = S3Server.start();
         GoDemoProcess app = GoDemoProcess.start(2000);
         TracedLoad load = TracedLoad.start(app);
         KubeletStandIn kubelet = new KubeletStandIn(client)) {
      step("installing the DebugSession CRD");
      DebugSessionCrd.install(client);
      step("embedded object store (s3proxy) at " + s3.endpoint());
      step("Go demo service pid " + app.pid() + ": app " + app.appBase() + ", pprof " + app.pprofBase()
          + ", 2000 idle goroutines, traced requests in flight");
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
      kubelet.runPod(KubeletStandIn.pod(NAMESPACE, POD, "app", Map.of("app", "checkout")));
      step("pod " + NAMESPACE + "/" + POD + " stands for the demo process (no kubelet: the pod object is marked "
          + "Running by a stand-in)");

      String sidecarCommand = String.join(" ", ProcessHandle.current().info().command().orElse("java"),
          "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx96m",
          "-cp", sidecarJar + ":" + Files.readString(sidecarClasspath).trim(),
          "dev.gopherscope.sidecar.app.SidecarMain");
      try (OperatorMain operator = OperatorMain.start(OperatorConfigLoader.load(Map.of(
          "GOPHERSCOPE_S3_ENDPOINT", s3.endpoint().toString(),
          "GOPHERSCOPE_S3_ACCESS_KEY", s3.accessKey(),
          "GOPHERSCOPE_S3_SECRET_KEY", s3.secretKey(),
          "GOPHERSCOPE_SIDECAR_API_SERVER", api.serverUrl(),
          "GOPHERSCOPE_SIDECAR_API_CA", api.caPem(),
          "GOPHERSCOPE_SIDECAR_COMMAND", sidecarCommand,
          "GOPHERSCOPE_SIDECAR_DLV", env.dlv().toString(),
          "GOPHERSCOPE_SIDECAR_REPORT_DEADLINE", "60s",
          "GOPHERSCOPE_METRICS_PORT", "0")), api.newClient())) {
        step("operator running (metrics on http://127.0.0.1:" + operator.metricsPort() + "/metrics)");

        Path session = out.resolve("session.yaml");
        Files.writeString(session, Files.readString(env.repoRoot().resolve("examples/sessions/demo.yaml"))
            .replace("port: 6060", "port: " + app.pprofPort()));
        step("kubectl apply -n " + NAMESPACE + " -f " + session);
        System.out.print(Kubectl.run(api, "apply", "-n", NAMESPACE, "-f", session.toString()));

        DebugSession done = awaitFinished(client, Duration.ofMinutes(3));
        System.out.println();
        step("the debugger container ran as a local process with exactly the command, args and env the operator "
            + "wrote into the ephemeral container (no kubelet on this machine)");
        System.out.println();
        System.out.print(Kubectl.run(api, "get", "dbg", "-n", NAMESPACE));
        System.out.println();
        printSummary(done.getStatus());
        List<Path> files = download(s3, done.getStatus(), out.resolve("artifacts"));
        printArtifacts(done.getStatus(), files, out);
        if (done.getStatus().getPhase() != SessionPhase.Succeeded) {
          throw new IllegalStateException("the session ended " + done.getStatus().getPhase() + ": "
              + done.getStatus().getMessage());
        }
      }
    }
    step(String.format(java.util.Locale.ROOT, "done in %.1f s; everything", seconds()) + " this demo started has stopped ('make demo-down' removes "
        + out + ")");
  }

  private static DebugSession awaitFinished(KubernetesClient client, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    SessionPhase last = null;
    while (System.nanoTime() < deadline) {
      DebugSession session = client.resources(DebugSession.class).inNamespace(NAMESPACE).withName("checkout-slow").get();
      DebugSessionStatus status = session == null ? null : session.getStatus();
      if (status != null && status.getPhase() != last) {
        last = status.getPhase();
        step("session phase " + last + (status.getMessage() == null ? "" : ": " + status.getMessage()));
      }
      if (last == SessionPhase.Succeeded || last == SessionPhase.Failed) {
        return session;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the session did not finish within " + timeout.toSeconds() + " s");
  }

  private static void printSummary(DebugSessionStatus status) {
    System.out.println("Status: " + status.getPhase() + " - " + status.getMessage());
    status.getConditions().forEach(c -> System.out.printf("  %-17s %-5s %s%n", c.getType(), c.getStatus(), c.getReason()));
    if (status.getResults() != null) {
      var results = status.getResults();
      System.out.println("Goroutines seen: " + results.getGoroutines() + ", kept by the filter: "
          + results.getMatchedGoroutines());
      System.out.println("Traces found in goroutine labels (goroutines / blocked / innermost frames):");
      for (TraceStackSummary trace : nullSafe(results.getTraceStacks())) {
        System.out.printf("  %s  %3d / %3d  %s%n", trace.getTraceId(), trace.getGoroutines(), trace.getBlocked(),
            String.join(", ", nullSafe(trace.getTopFrames())));
      }
      System.out.println("Largest goroutine groups:");
      for (StackGroupSummary group : nullSafe(results.getTopGroups())) {
        System.out.printf("  %5d  %s%n", group.getCount(), String.join(" <- ", nullSafe(group.getFrames())));
      }
    }
    System.out.println();
  }

  private static List<Path> download(S3Server s3, DebugSessionStatus status, Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (S3Client client = s3.newClient()) {
      for (Artifact artifact : nullSafe(status.getArtifacts())) {
        String uri = artifact.getUri().substring("s3://".length());
        String bucket = uri.substring(0, uri.indexOf('/'));
        String key = uri.substring(uri.indexOf('/') + 1);
        Path file = dir.resolve(artifact.getPod()).resolve(artifact.getName());
        Files.createDirectories(file.getParent());
        Files.write(file, client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        files.add(file);
      }
    }
    return files;
  }

  private static void printArtifacts(DebugSessionStatus status, List<Path> files, Path out) {
    System.out.println("Artifacts (uploaded to the embedded S3 and copied to " + out.resolve("artifacts") + "):");
    for (Artifact artifact : nullSafe(status.getArtifacts())) {
      System.out.printf("  %-22s %8d bytes  sha256 %s...  %s%n", artifact.getName(), artifact.getBytes(),
          artifact.getSha256() == null ? "-" : artifact.getSha256().substring(0, 12), artifact.getUri());
    }
    files.stream().filter(f -> f.toString().endsWith(".html")).findFirst()
        .ifPresent(f -> System.out.println("Open the flame graph:  xdg-open " + f));
    files.stream().filter(f -> f.toString().endsWith("cpu.pb.gz")).findFirst()
        .ifPresent(f -> System.out.println("Explore the profile:   go tool pprof -http=127.0.0.1:0 " + f));
    files.stream().filter(f -> f.getFileName().toString().equals("trace-stacks.json")).findFirst()
        .ifPresent(f -> System.out.println("Stacks by trace:       " + f));
    System.out.println("Inspect the session:   kubectl --kubeconfig " + out.resolve("kubeconfig")
        + " -n shop describe dbg checkout-slow   (while a demo runs)");
    System.out.println();
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }

  static void step(String message) {
    System.out.printf("[demo %5.1fs] %s%n", seconds(), message);
    System.out.flush();
  }

  private static double seconds() {
    return (System.nanoTime() - STARTED) / 1e9;
  }

  /** The real kubectl against the demo's API server. */
  static final class Kubectl {
    static String run(KubernetesApiServer api, String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of(TestEnvironment.get().kubectl().toString(),
          "--kubeconfig", api.kubeconfigFile().toString()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return output;
    }
  }
}
