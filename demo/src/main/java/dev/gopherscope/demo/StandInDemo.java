package dev.gopherscope.demo;

import static dev.gopherscope.demo.DemoOutput.NAMESPACE;
import static dev.gopherscope.demo.DemoOutput.step;

import dev.gopherscope.api.v1alpha1.DebugSession;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code make demo} where the machine cannot run a real node: a real kube-apiserver + etcd, the
 * CRD, the operator, s3proxy, the Go demo service under traced load, and one DebugSession applied
 * with the real kubectl. Without a kubelet, the pod object is marked Running by a stand-in and the
 * injected debugger container is started as a local process with exactly the command, args and env
 * the operator wrote into the ephemeral container spec, and the demo says so.
 */
final class StandInDemo {

  private static final String POD = "checkout-0";

  private StandInDemo() {
  }

  static void run(Path out, Path sidecarClasspath, Path sidecarJar) throws Exception {
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
        System.out.print(DemoOutput.kubectl(api.kubeconfigFile(), "apply", "-n", NAMESPACE, "-f", session.toString()));

        DebugSession done = DemoOutput.awaitFinished(client, Duration.ofMinutes(3));
        System.out.println();
        step("the debugger container ran as a local process with exactly the command, args and env the operator "
            + "wrote into the ephemeral container (no kubelet on this machine)");
        System.out.println();
        System.out.print(DemoOutput.kubectl(api.kubeconfigFile(), "get", "dbg", "-n", NAMESPACE));
        System.out.println();
        DemoOutput.printSummary(done.getStatus());
        List<Path> files;
        try (S3Client store = s3.newClient()) {
          files = DemoOutput.download(done.getStatus(), out.resolve("artifacts"), uri -> fetch(store, uri));
        }
        DemoOutput.printArtifacts(done.getStatus(), files, out, "the embedded S3");
        System.out.println("Inspect the session:   kubectl --kubeconfig " + out.resolve("kubeconfig")
            + " -n shop describe dbg checkout-slow   (while a demo runs)");
        System.out.println();
        DemoOutput.requireSucceeded(done);
      }
    }
    step(String.format(Locale.ROOT, "done in %.1f s; everything this demo started has stopped ('make demo-down' "
        + "removes %s)", DemoOutput.seconds(), out));
  }

  private static byte[] fetch(S3Client store, String uri) {
    String path = uri.substring("s3://".length());
    int slash = path.indexOf('/');
    return store.getObjectAsBytes(b -> b.bucket(path.substring(0, slash)).key(path.substring(slash + 1))).asByteArray();
  }
}
