package dev.gopherscope.testsupport;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Go demo service from {@code examples/demo-service}, running as a real process on loopback
 * ports chosen by the kernel. It serves its app on one port and net/http/pprof on another, and
 * labels every request's goroutines with the W3C traceparent it was given.
 */
public final class GoDemoProcess implements AutoCloseable {

  private static final Pattern READY =
      Pattern.compile("demo-service ready app=(\\S+) pprof=(\\S+) pid=(\\d+)");

  private final ManagedProcess process;
  private final String name;
  private final URI appBase;
  private final URI pprofBase;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GoDemoProcess(ManagedProcess process, String name, URI appBase, URI pprofBase) {
    this.process = process;
    this.name = name;
    this.appBase = appBase;
    this.pprofBase = pprofBase;
  }

  /** Starts the demo with {@code idleGoroutines} idle labelled goroutines and extra flags. */
  public static GoDemoProcess start(int idleGoroutines, String... extraFlags) {
    return launch(TestEnvironment.get().demoService(), "demo-service-" + System.nanoTime(), idleGoroutines, extraFlags);
  }

  /**
   * Starts the demo built with {@code GOEXPERIMENT=goroutineleakprofile}, which serves Go's
   * goroutine leak profile ({@code /debug/pprof/goroutineleak}).
   */
  public static GoDemoProcess startWithLeakProfile(int idleGoroutines, String... extraFlags) {
    return launch(TestEnvironment.get().demoServiceWithLeakProfile(), "demo-service-leakprofile-" + System.nanoTime(),
        idleGoroutines, extraFlags);
  }

  /**
   * Starts a copy of the demo binary called {@code name} (at most 15 bytes, the kernel's comm). In
   * a pod the sidecar sees only the target container's processes; on this machine it sees every
   * test's demo, so tests and benchmarks that find their target by name give it one of its own.
   */
  public static GoDemoProcess startNamed(String name, int idleGoroutines, String... extraFlags) {
    return copyAndLaunch(TestEnvironment.get().demoService(), name, idleGoroutines, extraFlags);
  }

  /**
   * As {@link #startNamed}, but the demo as production binaries ship: stripped of DWARF and
   * symbols; its debug info is {@link TestEnvironment#demoServiceDebugInfo()}.
   */
  public static GoDemoProcess startStripped(String name, int idleGoroutines, String... extraFlags) {
    return copyAndLaunch(TestEnvironment.get().strippedDemoService(), name, idleGoroutines, extraFlags);
  }

  private static GoDemoProcess copyAndLaunch(Path source, String name, int idleGoroutines, String... extraFlags) {
    Path binary = TestEnvironment.scratchDir("bin").resolve(name);
    try {
      Files.copy(source, binary, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the demo service to " + binary, e);
    }
    return launch(binary, name + "-" + idleGoroutines, idleGoroutines, extraFlags);
  }

  private static GoDemoProcess launch(Path binary, String logName, int idleGoroutines, String... extraFlags) {
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "-addr", "127.0.0.1:0", "-pprof-addr", "127.0.0.1:0", "-idle", String.valueOf(idleGoroutines)));
    command.addAll(List.of(extraFlags));
    Path log = TestEnvironment.scratchDir("logs").resolve(logName + ".log");
    ManagedProcess process = ManagedProcess.start(binary.getFileName().toString(), command, Map.of(), log, READY);
    // A demo with 100k idle goroutines takes a while to park them all.
    Matcher ready = process.awaitReady(Duration.ofSeconds(120));
    return new GoDemoProcess(process, binary.getFileName().toString(), URI.create("http://" + ready.group(1)),
        URI.create("http://" + ready.group(2)));
  }

  /** The process's name (its binary's file name), for a lookup by name. */
  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public URI appBase() {
    return appBase;
  }

  /** Base of the net/http/pprof endpoints, e.g. {@code pprofBase().resolve("/debug/pprof/goroutine")}. */
  public URI pprofBase() {
    return pprofBase;
  }

  public int pprofPort() {
    return pprofBase.getPort();
  }

  /** A GET on the app; fails on any status but 200. */
  public String get(String pathAndQuery) {
    return send(pathAndQuery, null, Duration.ofSeconds(30)).join();
  }

  /** A GET on the app carrying a W3C traceparent header, answered asynchronously. */
  public CompletableFuture<String> getTraced(String pathAndQuery, String traceparent) {
    return send(pathAndQuery, traceparent, Duration.ofSeconds(60));
  }

  /** The same with a timeout of the caller's (requests kept in flight for a whole benchmark). */
  public CompletableFuture<String> getTraced(String pathAndQuery, String traceparent, Duration timeout) {
    return send(pathAndQuery, traceparent, timeout);
  }

  private CompletableFuture<String> send(String pathAndQuery, String traceparent, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(appBase.resolve(pathAndQuery)).timeout(timeout).GET();
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + pathAndQuery + " answered " + response.statusCode()
            + ": " + response.body());
      }
      return response.body();
    });
  }

  /** Fetches raw bytes from the pprof port, e.g. {@code /debug/pprof/goroutine?debug=0}. */
  public byte[] pprof(String pathAndQuery) {
    try {
      HttpResponse<byte[]> response = http.send(
          HttpRequest.newBuilder(pprofBase.resolve(pathAndQuery)).timeout(Duration.ofSeconds(120)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("pprof " + pathAndQuery + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Path logFile() {
    return process.logFile();
  }

  @Override
  public void close() {
    process.close();
  }
}
