package dev.gopherscope.bench;

import dev.gopherscope.testsupport.GoDemoProcess;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The Go demo service as the benchmarks drive it: started under a name of the benchmark's own
 * (so the sidecar's lookup by name finds exactly this process), with its heartbeat, its whole
 * goroutine profile and requests left in flight.
 */
final class DemoService implements AutoCloseable {

  private final GoDemoProcess demo;

  private DemoService(GoDemoProcess demo) {
    this.demo = demo;
  }

  /** Starts the demo as {@code name} (at most 15 characters, the kernel's comm) with {@code idle} parked goroutines. */
  static DemoService start(String name, int idle) {
    return new DemoService(GoDemoProcess.startNamed(name, idle));
  }

  /** A demo started some other way (another build, other flags). */
  static DemoService of(GoDemoProcess demo) {
    return new DemoService(demo);
  }

  long pid() {
    return demo.pid();
  }

  String name() {
    return demo.name();
  }

  int pprofPort() {
    return demo.pprofPort();
  }

  URI pprofBase() {
    return demo.pprofBase();
  }

  Heartbeat heartbeat() {
    return Heartbeat.parse(get("/heartbeat"));
  }

  /** A GET on the app, answered 200, or an exception. */
  String get(String pathAndQuery) {
    return demo.get(pathAndQuery);
  }

  /** The whole goroutine profile ({@code debug=0}), as any pprof client fetches it. */
  byte[] goroutineProfile() {
    return demo.pprof("/debug/pprof/goroutine?debug=0");
  }

  /** A request carrying {@code traceparent}, left in flight; its outcome does not matter. */
  CompletableFuture<?> inFlight(String pathAndQuery, String traceparent) {
    return demo.getTraced(pathAndQuery, traceparent, Duration.ofMinutes(10)).exceptionally(failure -> null);
  }

  @Override
  public void close() {
    demo.close();
  }
}
