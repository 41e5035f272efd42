package dev.gopherscope.sidecar.app;

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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo service under a name of its own. In a pod the sidecar sees only the target
 * container's processes; here it sees the whole machine, where other tests may run demo services
 * too, so the run mode tests name their target uniquely (spec.target.processName), as a container
 * running several processes would.
 */
final class NamedDemo implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("demo-service ready app=(\\S+) pprof=\\S+:(\\d+) pid=(\\d+)");

  private final ManagedProcess process;
  private final String name;
  private final URI app;
  private final int pprofPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private NamedDemo(ManagedProcess process, String name, URI app, int pprofPort) {
    this.process = process;
    this.name = name;
    this.app = app;
    this.pprofPort = pprofPort;
  }

  /** Starts a copy of the demo binary called {@code name} (at most 15 bytes, the kernel's comm). */
  static NamedDemo start(String name, int idleGoroutines) {
    Path binary = TestEnvironment.scratchDir("bin").resolve(name);
    try {
      Files.copy(TestEnvironment.get().demoService(), binary, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ManagedProcess process = ManagedProcess.start(name, List.of(binary.toString(), "-addr", "127.0.0.1:0",
        "-pprof-addr", "127.0.0.1:0", "-idle", String.valueOf(idleGoroutines)), Map.of(),
        TestEnvironment.scratchDir("logs").resolve(name + ".log"), READY);
    Matcher ready = process.awaitReady(Duration.ofSeconds(60));
    return new NamedDemo(process, name, URI.create("http://" + ready.group(1)), Integer.parseInt(ready.group(2)));
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  int pprofPort() {
    return pprofPort;
  }

  CompletableFuture<HttpResponse<String>> getTraced(String pathAndQuery, String traceparent) {
    return http.sendAsync(HttpRequest.newBuilder(app.resolve(pathAndQuery)).header("traceparent", traceparent).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    process.close();
  }
}
