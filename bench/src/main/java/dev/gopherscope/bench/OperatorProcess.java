package dev.gopherscope.bench;

import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.ManagedProcess;
import dev.gopherscope.testsupport.S3Server;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The operator as its own JVM, as deployed, so its memory is its own; configured by environment. */
final class OperatorProcess implements AutoCloseable {

  private final ManagedProcess process;
  private final int metricsPort;

  private OperatorProcess(ManagedProcess process, int metricsPort) {
    this.process = process;
    this.metricsPort = metricsPort;
  }

  static OperatorProcess start(Path repo, KubernetesApiServer api, S3Server s3, Map<String, String> extraEnv,
      List<String> jvmFlags) throws IOException {
    Path classpath = repo.resolve("operator/target/classpath.txt");
    Path jar = repo.resolve("operator/target/gopherscope-operator-0.1.0-SNAPSHOT.jar");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", api.kubeconfigFile().toString());
    env.put("GOPHERSCOPE_S3_ENDPOINT", s3.endpoint().toString());
    env.put("GOPHERSCOPE_S3_ACCESS_KEY", s3.accessKey());
    env.put("GOPHERSCOPE_S3_SECRET_KEY", s3.secretKey());
    env.put("GOPHERSCOPE_SIDECAR_API_SERVER", api.serverUrl());
    env.put("GOPHERSCOPE_SIDECAR_API_CA", api.caPem());
    env.put("GOPHERSCOPE_METRICS_PORT", String.valueOf(port));
    env.putAll(extraEnv);
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", jar + ":" + Files.readString(classpath).trim(),
        "dev.gopherscope.operator.OperatorMain"));
    ManagedProcess process = ManagedProcess.start("operator", command, env,
        repo.resolve("bench/target/operator.log"), Pattern.compile("gopherscope operator started"));
    process.awaitReady(Duration.ofSeconds(60));
    return new OperatorProcess(process, port);
  }

  long pid() {
    return process.pid();
  }

  String metrics() {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
          + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new IllegalStateException("cannot scrape the operator's metrics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The value of the first sample of {@code metric} whose line matches {@code labelsRegex} (or -1). */
  static double sample(String metrics, String metric, String labelsRegex) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*\\})?\\s+([0-9.eE+-]+)$").matcher(metrics);
    while (m.find()) {
      String labels = m.group(1) == null ? "" : m.group(1);
      if (labels.matches(labelsRegex)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }

  /** The sum of every sample of {@code metric} whose labels match {@code labelsRegex} (0 when none). */
  static double sum(String metrics, String metric, String labelsRegex) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*\\})?\\s+([0-9.eE+-]+)$").matcher(metrics);
    double sum = 0;
    while (m.find()) {
      if ((m.group(1) == null ? "" : m.group(1)).matches(labelsRegex)) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  @Override
  public void close() {
    process.close();
  }
}
