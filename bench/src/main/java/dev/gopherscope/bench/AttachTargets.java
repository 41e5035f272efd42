package dev.gopherscope.bench;

import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.ManagedProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Go servers {@link AttachPauseBench} attaches to, each with DWARF, started on loopback ports
 * of their own, with one kind of request each serves for the load: the demo, a third-party server
 * installed from the Go module proxy, etcd, and kube-apiserver.
 */
final class AttachTargets {

  /** The third-party server: a real Go server that {@code go install}s cleanly, pinned. */
  static final String THIRD_PARTY = "Prometheus Pushgateway v1.11.5";
  static final String THIRD_PARTY_LOAD = "Pushgateway: `PUT /metrics/job/bench/instance/N` of a small text "
      + "exposition, then `GET /metrics`";
  private static final String THIRD_PARTY_MODULE = "github.com/prometheus/pushgateway@v1.11.5";

  enum Kind {
    DEMO("demo-service"),
    THIRD_PARTY("pushgateway"),
    ETCD("etcd"),
    KUBE_APISERVER("kube-apiserver");

    private final String title;

    Kind(String title) {
      this.title = title;
    }

    String title() {
      return title;
    }
  }

  /** A running server: its process and one request it serves. */
  interface Target extends AutoCloseable {
    String name();

    long pid();

    Timing.ThrowingRunnable request();

    @Override
    void close();
  }

  private final Path work;
  private final Map<String, DwarfBinaries.Binary> linked;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AttachTargets(Path work, Map<String, DwarfBinaries.Binary> linked) {
    this.work = work;
    this.linked = linked;
  }

  static AttachTargets prepare(Path repo, Path work) {
    Map<String, DwarfBinaries.Binary> linked = new java.util.HashMap<>();
    DwarfBinaries.all(repo).forEach(b -> linked.put(b.name(), b));
    return new AttachTargets(work, linked);
  }

  static String dlvVersion() {
    return TestEnvironment.get().version("DELVE_VERSION");
  }

  Target start(Kind kind) {
    return switch (kind) {
      case DEMO -> demo();
      case THIRD_PARTY -> pushgateway();
      case ETCD -> etcd();
      case KUBE_APISERVER -> kubeApiServer();
    };
  }

  private Target demo() {
    GoDemoProcess demo = GoDemoProcess.start(100);
    return new Simple("demo-service", demo.pid(), () -> demo.get("/work/cpu?ms=1"), demo::close);
  }

  private Target pushgateway() {
    Path binary = thirdParty();
    int port = freePort();
    ManagedProcess process = ManagedProcess.start("pushgateway", List.of(binary.toString(),
        "--web.listen-address=127.0.0.1:" + port), Map.of(), work.resolve("pushgateway.log"), null);
    String base = "http://127.0.0.1:" + port;
    awaitOk(process, base + "/-/ready");
    AtomicLong n = new AtomicLong();
    return new Simple("pushgateway", process.pid(), () -> {
      long i = n.incrementAndGet();
      send(HttpRequest.newBuilder(URI.create(base + "/metrics/job/bench/instance/" + (i % 50)))
          .PUT(HttpRequest.BodyPublishers.ofString("bench_requests_total " + i + "\n")).build());
      send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build());
    }, process::close);
  }

  private Target etcd() {
    Path binary = dwarfBinary("etcd");
    int client = freePort();
    int peer = freePort();
    Path data = work.resolve("etcd-data");
    deleteRecursively(data);
    String clientUrl = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    ManagedProcess process = ManagedProcess.start("etcd-dwarf", List.of(binary.toString(), "--name", "bench",
        "--data-dir", data.toString(), "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "bench=" + peerUrl, "--log-level", "warn"), Map.of(), work.resolve("etcd.log"), null);
    awaitOk(process, clientUrl + "/health");
    AtomicLong n = new AtomicLong();
    Base64.Encoder b64 = Base64.getEncoder();
    return new Simple("etcd", process.pid(), () -> {
      long i = n.incrementAndGet();
      String key = b64.encodeToString(("bench/" + (i % 1000)).getBytes(StandardCharsets.UTF_8));
      String value = b64.encodeToString(("value " + i).getBytes(StandardCharsets.UTF_8));
      send(HttpRequest.newBuilder(URI.create(clientUrl + "/v3/kv/put"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\",\"value\":\"" + value + "\"}")).build());
      send(HttpRequest.newBuilder(URI.create(clientUrl + "/v3/kv/range"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\"}")).build());
    }, () -> {
      process.close();
      deleteRecursively(data);
    });
  }

  private Target kubeApiServer() {
    Path binary = dwarfBinary("kube-apiserver");
    KubernetesApiServer api = KubernetesApiServer.startDedicated();
    try {
      long pid = api.runApiServerFrom(binary);
      KubernetesClient client = api.newClient();
      AtomicLong n = new AtomicLong();
      return new Simple("kube-apiserver", pid, () -> client.raw(n.incrementAndGet() % 2 == 0 ? "/api/v1/namespaces"
          : "/api/v1/namespaces/default/configmaps"), () -> {
            client.close();
            api.close();
          });
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
  }

  private Path dwarfBinary(String name) {
    DwarfBinaries.Binary binary = linked.get(name);
    if (binary == null || !binary.ok()) {
      throw new IllegalStateException(name + " with DWARF is not available: "
          + (binary == null ? "not linked" : binary.problem()));
    }
    return binary.path();
  }

  /** The third-party server, {@code go install}ed (with its DWARF: no -s -w) into bench/target once. */
  private Path thirdParty() {
    Path bin = work.resolve("third-party");
    Path binary = bin.resolve("pushgateway");
    if (Files.isExecutable(binary)) {
      return binary;
    }
    try {
      Files.createDirectories(bin);
      System.out.println("[bench] attach-pause: go install " + THIRD_PARTY_MODULE);
      ProcessBuilder builder = new ProcessBuilder("go", "install", THIRD_PARTY_MODULE).redirectErrorStream(true);
      builder.environment().put("GOBIN", bin.toString());
      builder.environment().put("CGO_ENABLED", "0");
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("go install " + THIRD_PARTY_MODULE + " failed: " + output.strip());
      }
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode());
    }
  }

  /** Waits up to a minute for {@code url} to answer 200 while {@code process} lives. */
  private void awaitOk(ManagedProcess process, String url) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(process + " exited before it was ready; see " + process.logFile());
      }
      try {
        send(HttpRequest.newBuilder(URI.create(url)).GET().build());
        return;
      } catch (IOException notYet) {
        PauseBench.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    process.close();
    throw new IllegalStateException(url + " did not answer 200 within a minute; see " + process.logFile());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Simple(String name, long pid, Timing.ThrowingRunnable request, Runnable stop) implements Target {
    @Override
    public void close() {
      stop.run();
    }
  }
}
