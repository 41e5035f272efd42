package dev.gopherscope.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The image's entrypoint as a process, configured only by the environment the chart's s3proxy
 * Deployment sets (same variable names, filesystem backend on a directory that does not exist
 * yet), serving real signed S3 requests.
 */
class S3ProxyMainIT {

  @Test
  void servesSignedRequestsFromTheChartsEnvironment(@TempDir Path dir) throws Exception {
    int port = freePort();
    Path data = dir.resolve("data");
    Process proxy = start(dir, Map.of("S3PROXY_ENDPOINT", "http://127.0.0.1:" + port,
        "S3PROXY_AUTHORIZATION", "aws-v2-or-v4", "S3PROXY_IDENTITY", "chart-access", "S3PROXY_CREDENTIAL", "chart-secret",
        "JCLOUDS_PROVIDER", "filesystem", "JCLOUDS_FILESYSTEM_BASEDIR", data.toString()));
    try {
      awaitListening(proxy, port, dir);
      try (S3Client client = client(port, "chart-secret")) {
        client.createBucket(r -> r.bucket("gopherscope"));
        client.putObject(r -> r.bucket("gopherscope").key("s/pod/goroutines-1.pb.gz"), RequestBody.fromString("profile"));
        assertThat(client.getObjectAsBytes(r -> r.bucket("gopherscope").key("s/pod/goroutines-1.pb.gz")).asUtf8String())
            .isEqualTo("profile");
      }
      assertThat(data.resolve("gopherscope/s/pod/goroutines-1.pb.gz")).hasContent("profile");
      try (S3Client wrongKey = client(port, "not-the-secret")) {
        assertThatThrownBy(() -> wrongKey.listObjectsV2(r -> r.bucket("gopherscope")))
            .isInstanceOf(S3Exception.class).extracting(e -> ((S3Exception) e).statusCode()).isEqualTo(403);
      }
      assertThat(ProcessHandle.of(proxy.pid()).orElseThrow().info().commandLine().orElse(""))
          .as("credentials stay off the command line").doesNotContain("chart-secret");
    } finally {
      proxy.destroy();
      proxy.waitFor(10, TimeUnit.SECONDS);
      proxy.destroyForcibly();
    }
  }

  @Test
  void withoutCredentialsItSaysWhichVariableIsMissing(@TempDir Path dir) throws Exception {
    Process proxy = start(dir, Map.of("S3PROXY_IDENTITY", "chart-access", "JCLOUDS_FILESYSTEM_BASEDIR",
        dir.resolve("data").toString()));
    assertThat(proxy.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(proxy.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("s3proxy.log"), StandardCharsets.UTF_8))
        .contains("s3proxy: S3PROXY_CREDENTIAL (or S3PROXY_CREDENTIAL_FILE) is not set");
  }

  private static Process start(Path dir, Map<String, String> env) throws IOException {
    String classpath = Path.of("target/classes").toAbsolutePath() + ":"
        + Files.readString(Path.of("target/classpath.txt")).strip();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, S3ProxyMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("s3proxy.log").toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder.start();
  }

  private static void awaitListening(Process proxy, int port, Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!proxy.isAlive()) {
        throw new AssertionError("s3proxy exited " + proxy.exitValue() + ":\n" + Files.readString(dir.resolve("s3proxy.log")));
      }
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("s3proxy not listening on " + port + " after 60 s:\n" + Files.readString(dir.resolve("s3proxy.log")));
  }

  private static S3Client client(int port, String secret) {
    return S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
        .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("chart-access", secret)))
        .build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
