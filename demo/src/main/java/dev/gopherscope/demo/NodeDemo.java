package dev.gopherscope.demo;

import static dev.gopherscope.demo.DemoOutput.NAMESPACE;
import static dev.gopherscope.demo.DemoOutput.step;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.testsupport.ChartOnNode;
import dev.gopherscope.testsupport.LocalNode;
import dev.gopherscope.testsupport.PluginCli;
import dev.gopherscope.testsupport.S3Server;
import dev.gopherscope.testsupport.TestEnvironment;
import dev.gopherscope.testsupport.TracedTraffic;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code make demo} on a real node ({@link LocalNode}: kubelet, containerd, runc), as users run
 * gopherscope: the chart installed by helm, the Go demo service as a two-replica Deployment in a
 * namespace at the {@code restricted} Pod Security level, traced load over the cluster network,
 * and {@code examples/sessions/demo.yaml} applied with kubectl. The kubelet starts each debugger
 * container next to the app; the demo shows that, the session's result and the artifacts, then
 * asks the same question in one command through the kubectl plugin.
 */
final class NodeDemo {

  private static final List<String> WORK = List.of("/work/block?ms=4000", "/work/cpu?ms=400",
      "/work/fanout?n=4&ms=3000", "/work/sleep?ms=2000");

  private NodeDemo() {
  }

  static void run(Path out) throws Exception {
    TestEnvironment env = TestEnvironment.get();
    Path repo = env.repoRoot();
    List<Path> images = List.of(repo.resolve("operator/target/jib-image.tar"), repo.resolve("sidecar/target/jib-image.tar"));
    for (Path image : images) {
      if (!Files.isRegularFile(image)) {
        throw new IllegalStateException(image + " is missing: `make demo` builds it (make image-tars)");
      }
    }
    step("starting a real single-node cluster, Kubernetes " + env.kubernetesVersion() + " (testenv/node.sh up): etcd, "
        + "kube-apiserver, kube-controller-manager, kube-scheduler; containerd, runc, kubelet and kube-proxy in a "
        + "network namespace of their own; images imported from tarballs, nothing pulled");
    LocalNode node = LocalNode.shared(images);
    step("node " + LocalNode.NODE_NAME + " Ready; kubectl --kubeconfig " + node.kubeconfig() + " works while the demo runs");
    try (S3Server s3 = S3Server.startOn(LocalNode.HOST_ADDRESS)) {
      step("object store: s3proxy on the host at " + s3.endpoint() + ", which pods reach over the node's network");
      try (ChartOnNode chart = ChartOnNode.install(node, s3)) {
        step(String.format(Locale.ROOT, "helm install gopherscope helm/gopherscope: the operator is Ready as a "
            + "container after %.1f s", chart.installMillis() / 1e3));
        chart.deployDemo(NAMESPACE, "restricted", ChartOnNode.DEMO_APP, 2, List.of("-idle", "2000"));
        chart.awaitReady(NAMESPACE, ChartOnNode.DEMO_APP, Duration.ofMinutes(2));
        Map<String, String> pods = chart.runningPods(NAMESPACE, ChartOnNode.DEMO_APP);
        step("Go demo service: Deployment " + NAMESPACE + "/checkout, 2 replicas of " + ChartOnNode.DEMO_IMAGE
            + " (FROM scratch, non-root) in a namespace at Pod Security level restricted; pods " + pods);
        try (TracedTraffic load = new TracedTraffic(pods, WORK, Duration.ofMillis(250), 2_000)) {
          step("traced requests in flight (blocking, CPU, fan-out, sleep), each with its own traceparent");
          Thread.sleep(1_500);
          Path session = repo.resolve("examples/sessions/demo.yaml");
          step("kubectl apply -n " + NAMESPACE + " -f " + repo.relativize(session));
          System.out.print(DemoOutput.kubectl(node.kubeconfig(), "apply", "-n", NAMESPACE, "-f", session.toString()));
          DebugSession done = DemoOutput.awaitFinished(chart.client(), Duration.ofMinutes(3));
          System.out.println();
          System.out.print(DemoOutput.kubectl(node.kubeconfig(), "get", "dbg", "-n", NAMESPACE));
          System.out.println();
          printDebuggers(chart, pods.keySet());
          DemoOutput.printSummary(done.getStatus());
          List<Path> files = DemoOutput.download(done.getStatus(), out.resolve("artifacts"), chart::download);
          DemoOutput.printArtifacts(done.getStatus(), files, out, "s3proxy on the host");
          System.out.printf("Requests the app failed while it was debugged: %d%n%n", load.failed());
          DemoOutput.requireSucceeded(done);
          askThePlugin(node, s3, pods, out);
        }
      }
    } finally {
      step("stopping the node (testenv/node.sh down); `make node-up` keeps one running for you");
      node.close();
    }
    step(String.format(Locale.ROOT, "done in %.1f s; the artifacts stay in %s ('make demo-down' removes it)",
        DemoOutput.seconds(), out));
  }

  /**
   * The same question through the kubectl plugin, as one command: its progress (redrawn in place
   * in a terminal), the download with sha256 checked and the summary, exactly as a user sees them.
   */
  private static void askThePlugin(LocalNode node, S3Server s3, Map<String, String> pods, Path out) throws Exception {
    String traceId = TracedTraffic.traceId();
    List<String> args = List.of("trace-stacks", "deploy/" + ChartOnNode.DEMO_APP, "-n", NAMESPACE, "--max-pods", "2",
        "--traceparent", "00-" + traceId + "-00f067aa0ba902b7-01", "--pprof-port", "6060", "--s3-endpoint",
        s3.endpoint().toString(), "--name", "checkout-plugin");
    // One user request that fanned out to both pods: its goroutines wait in each.
    try (TracedTraffic oneTrace = TracedTraffic.oneTrace(pods, "/work/block?ms=10000", traceId, Duration.ofMillis(100),
        6)) {
      Thread.sleep(1_000);
      step("one trace, " + traceId + ", now has requests waiting in both pods; the same kind of question in one "
          + "command, with the kubectl plugin (`make install-plugin DIR=...` puts it on your PATH):\n"
          + "  $ kubectl gopherscope " + String.join(" ", args));
      runPlugin(node, s3, args, out);
    }
  }

  private static void runPlugin(LocalNode node, S3Server s3, List<String> args, Path out) throws Exception {
    Path workDir = Files.createDirectories(out.resolve("plugin"));
    ProcessBuilder plugin = new ProcessBuilder(Stream.concat(Stream.of(PluginCli.builtLauncher().toString()),
        args.stream()).toList()).directory(workDir.toFile()).inheritIO();
    plugin.environment().putAll(Map.of("KUBECONFIG", node.kubeconfig().toString(), "AWS_ACCESS_KEY_ID", s3.accessKey(),
        "AWS_SECRET_ACCESS_KEY", s3.secretKey(), "AWS_REGION", "us-east-1"));
    int exit = plugin.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("kubectl gopherscope " + String.join(" ", args) + " exited " + exit);
    }
    System.out.println();
  }

  /** The pod once every debugger container in it has exited (the sidecar ends after its final report), or as it is after 30 s. */
  private static Pod awaitDebuggersExited(ChartOnNode chart, String name) {
    try {
      return chart.client().pods().inNamespace(NAMESPACE).withName(name).waitUntilCondition(p -> p.getStatus()
          .getEphemeralContainerStatuses().stream().allMatch(c -> c.getState().getTerminated() != null), 30,
          TimeUnit.SECONDS);
    } catch (RuntimeException stillRunning) {
      return chart.client().pods().inNamespace(NAMESPACE).withName(name).get();
    }
  }

  /** What the kubelet did with each injected debugger container, read back from the pods. */
  private static void printDebuggers(ChartOnNode chart, Iterable<String> pods) {
    System.out.println("Debugger containers, started by the kubelet next to the app (they remain in the pod, exited):");
    for (String name : pods) {
      Pod pod = awaitDebuggersExited(chart, name);
      for (EphemeralContainer debugger : pod.getSpec().getEphemeralContainers()) {
        ContainerStatus status = pod.getStatus().getEphemeralContainerStatuses().stream()
            .filter(s -> s.getName().equals(debugger.getName())).findFirst().orElse(null);
        String state = status == null ? "no status yet" : status.getState().getTerminated() != null
            ? "exited " + status.getState().getTerminated().getExitCode() : status.getState().getRunning() != null
            ? "running" : "waiting";
        var security = debugger.getSecurityContext();
        System.out.printf("  %-26s %-24s target %-4s uid %-6s capabilities %-6s %s%n", name, debugger.getName(),
            debugger.getTargetContainerName(), security.getRunAsUser(),
            security.getCapabilities() == null || security.getCapabilities().getAdd() == null
                || security.getCapabilities().getAdd().isEmpty() ? "none" : security.getCapabilities().getAdd(), state);
      }
    }
    System.out.println();
  }
}
