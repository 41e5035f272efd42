package dev.gopherscope.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.operator.config.OperatorConfig;
import dev.gopherscope.operator.config.OperatorConfigLoader;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.S3Server;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.gopherscope.sidecar.output.KubernetesTls;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The operator under test, in this JVM, against the real API server and object store, with the
 * kubelet and the sidecar played by {@link KubeletStandIn} and {@link SidecarStandIn}.
 */
final class OperatorHarness implements AutoCloseable {

  final KubernetesApiServer server;
  final KubernetesClient client;
  final S3Server s3;
  final KubeletStandIn kubelet;
  final OperatorConfig config;
  private OperatorMain operator;

  OperatorHarness(KubernetesApiServer server, KubernetesClient client, S3Server s3, Map<String, String> overrides)
      throws Exception {
    this.server = server;
    this.client = client;
    this.s3 = s3;
    DebugSessionCrd.install(client);
    this.kubelet = new KubeletStandIn(client);
    Map<String, String> env = environment(server, s3);
    env.putAll(overrides);
    this.config = OperatorConfigLoader.load(env);
    start();
  }

  /** The operator's environment for these tests: the real object store, the sidecar played by {@link SidecarStandIn}. */
  static Map<String, String> environment(KubernetesApiServer server, S3Server s3) {
    Map<String, String> env = new HashMap<>();
    env.put("GOPHERSCOPE_S3_ENDPOINT", s3.endpoint().toString());
    env.put("GOPHERSCOPE_S3_ACCESS_KEY", s3.accessKey());
    env.put("GOPHERSCOPE_S3_SECRET_KEY", s3.secretKey());
    env.put("GOPHERSCOPE_S3_BUCKET", "gopherscope-it");
    env.put("GOPHERSCOPE_SIDECAR_API_SERVER", server.serverUrl());
    env.put("GOPHERSCOPE_SIDECAR_API_CA", server.caPem());
    env.put("GOPHERSCOPE_SIDECAR_COMMAND", String.join(" ", javaCommand(), "-cp", System.getProperty("java.class.path"),
        SidecarStandIn.class.getName()));
    env.put("GOPHERSCOPE_SIDECAR_ARGS", "run");
    env.put("GOPHERSCOPE_SIDECAR_REPORT_DEADLINE", "6s");
    env.put("GOPHERSCOPE_METRICS_PORT", "0");
    return env;
  }

  static String javaCommand() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  void start() throws Exception {
    operator = OperatorMain.start(config, server.newClient());
  }

  void stop() {
    operator.close();
  }

  int metricsPort() {
    return operator.metricsPort();
  }

  String namespace(String name) {
    return namespace(client, name);
  }

  /** Creates (or keeps) namespace {@code name}; for tests that run the operator without a harness. */
  static String namespace(KubernetesClient client, String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }

  /** A session on {@code pod}'s container {@code app} through pprof port 6060; {@code extraSpec}: more spec lines. */
  static String session(String name, String pod, String captures, String extraSpec) {
    return """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: NAME}
        spec:
          target: {podName: POD, container: app}
          pprof: {port: 6060}
          captures: CAPTURES
          timeout: 60s
        """.replace("NAME", name).replace("POD", pod).replace("CAPTURES", captures) + extraSpec;
  }

  DebugSession apply(String namespace, String yaml) {
    return apply(client, namespace, yaml);
  }

  /** Creates the session {@code yaml} describes in {@code namespace}, as kubectl create would. */
  static DebugSession apply(KubernetesClient client, String namespace, String yaml) {
    DebugSession session = client.resources(DebugSession.class)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).item();
    return client.resources(DebugSession.class).inNamespace(namespace).resource(session).create();
  }

  DebugSession await(String namespace, String name, Predicate<DebugSession> condition, Duration timeout) {
    return client.resources(DebugSession.class).inNamespace(namespace).withName(name)
        .waitUntilCondition(s -> s != null && condition.test(s), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  DebugSession awaitPhase(String namespace, String name, SessionPhase phase, Duration timeout) {
    DebugSession session = await(namespace, name, s -> s.getStatus() != null
        && (s.getStatus().getPhase() == phase || s.getStatus().getPhase() == SessionPhase.Failed
            || s.getStatus().getPhase() == SessionPhase.Succeeded), timeout);
    assertThat(session.getStatus().getPhase()).as("phase of %s: %s", name, session.getStatus().getMessage())
        .isEqualTo(phase);
    return session;
  }

  /**
   * Server-side applies a report to {@code pod}'s entry of {@code session}'s status with
   * {@code token}, as the sidecar does, and returns the API server's answer.
   */
  HttpResponse<String> patchStatusWithToken(String token, String namespace, String session, String pod)
      throws Exception {
    String body = "{\"apiVersion\":\"gopherscope.dev/v1alpha1\",\"kind\":\"DebugSession\",\"metadata\":{\"name\":\""
        + session + "\",\"namespace\":\"" + namespace + "\"},\"status\":{\"targets\":[{\"pod\":\"" + pod
        + "\",\"report\":{\"phase\":\"Attached\",\"message\":\"probe\"}}]}}";
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(KubernetesTls.trusting(server.caPem())).build();
    return http.send(HttpRequest.newBuilder(URI.create(server.serverUrl()
            + "/apis/gopherscope.dev/v1alpha1/namespaces/" + namespace + "/debugsessions/" + session
            + "/status?fieldManager=probe&force=true"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/apply-patch+yaml")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    stop();
    kubelet.close();
  }
}
