package dev.gopherscope.bench;

import dev.gopherscope.testsupport.ManagedProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Go demo service started under a name of the benchmark's own (a symlink in bench/target/bin),
 * so the sidecar's process lookup by name finds exactly this process even when tests on the same
 * machine run other copies of the demo.
 */
final class DemoService implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("demo-service ready app=(\\S+) pprof=(\\S+) pid=(\\d+)");

  private final ManagedProcess process;
  private final URI app;
  private final URI pprof;
  private final String name;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private DemoService(ManagedProcess process, URI app, URI pprof, String name) {
    this.process = process;
    this.app = app;
    this.pprof = pprof;
    this.name = name;
  }

  /** Starts the demo as {@code name} (at most 15 characters, the kernel's comm) with {@code idle} parked goroutines. */
  static DemoService start(Path repo, String name, int idle) {
    Path bin = repo.resolve("bench/target/bin");
    Path link = bin.resolve(name);
    try {
      Files.createDirectories(bin);
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, TestEnvironment.get().demoService());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot link the demo service as " + link, e);
    }
    List<String> command = new ArrayList<>(List.of(link.toString(), "-addr", "127.0.0.1:0", "-pprof-addr",
        "127.0.0.1:0", "-idle", String.valueOf(idle)));
    ManagedProcess process = ManagedProcess.start(name, command, Map.of(),
        repo.resolve("bench/target/logs").resolve(name + "-" + idle + ".log"), READY);
    Matcher ready = process.awaitReady(Duration.ofSeconds(120));
    return new DemoService(process, URI.create("http://" + ready.group(1)), URI.create("http://" + ready.group(2)),
        name);
  }

  long pid() {
    return process.pid();
  }

  String name() {
    return name;
  }

  int pprofPort() {
    return pprof.getPort();
  }

  URI pprofBase() {
    return pprof;
  }

  Heartbeat heartbeat() {
    return Heartbeat.parse(get("/heartbeat"));
  }

  /** A GET on the app, answered 200, or an exception. */
  String get(String pathAndQuery) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(app.resolve(pathAndQuery))
          .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + pathAndQuery + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The whole goroutine profile ({@code debug=0}), as any pprof client fetches it. */
  byte[] goroutineProfile() {
    try {
      return http.send(HttpRequest.newBuilder(pprof.resolve("/debug/pprof/goroutine?debug=0"))
          .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A request carrying {@code traceparent}, left in flight; its outcome does not matter. */
  CompletableFuture<HttpResponse<Void>> inFlight(String pathAndQuery, String traceparent) {
    return http.sendAsync(HttpRequest.newBuilder(app.resolve(pathAndQuery)).header("traceparent", traceparent)
        .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.discarding());
  }

  @Override
  public void close() {
    process.close();
  }
}
