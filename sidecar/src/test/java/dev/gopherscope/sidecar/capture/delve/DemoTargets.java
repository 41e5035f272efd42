package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.process.TargetProcess;
import dev.gopherscope.sidecar.process.TargetProcessFinder;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Helpers the Delve capture ITs share: attaching to the demo and waiting for its goroutines. */
final class DemoTargets {

  private DemoTargets() {
  }

  static DelveAttachment attach(GoDemoProcess demo) {
    TargetProcess target = TargetProcessFinder.forThisProcess().describe(demo.pid());
    return DelveAttachment.attach(TestEnvironment.get().dlv(), target, DelveAttachment.Options.defaults());
  }

  /** Waits until pprof shows a goroutine whose labels mention {@code text}. */
  static void awaitGoroutineLabelled(GoDemoProcess demo, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      String dump = new String(demo.pprof("/debug/pprof/goroutine?debug=1"), StandardCharsets.UTF_8);
      if (dump.contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no goroutine labelled " + text + " appeared within 10 s");
  }

  /** The process (not thread) tracing {@code pid}: dlv traces from a thread of its own. */
  static long tracerProcessOf(long pid) throws Exception {
    long tracer = tracerOf(pid);
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(tracer), "status"))) {
      if (line.startsWith("Tgid:")) {
        return Long.parseLong(line.substring("Tgid:".length()).strip());
      }
    }
    throw new AssertionError("no Tgid in /proc/" + tracer + "/status");
  }

  /** The pid of the process tracing {@code pid}, 0 when none. */
  static long tracerOf(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("TracerPid:")) {
        return Long.parseLong(line.substring("TracerPid:".length()).strip());
      }
    }
    throw new AssertionError("no TracerPid in /proc/" + pid + "/status");
  }

  /** Waits until nothing traces {@code pid}: dlv is gone and the kernel has detached it. */
  static void awaitNoTracer(long pid) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (tracerOf(pid) != 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("something still traces the target 5 s after the kill");
      }
      Thread.sleep(5);
    }
  }
}
