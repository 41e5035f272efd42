package dev.gopherscope.sidecar.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code sidecar capture} run in this JVM on a thread of its own, so that a fault test can act at
 * a chosen moment of the session (once a line appears in its progress) and then collect the result.
 */
final class BackgroundCapture {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final CompletableFuture<Integer> exit;

  private BackgroundCapture(String[] args, Map<String, String> env) {
    PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    exit = CompletableFuture.supplyAsync(() -> SidecarMain.run(args, env, stdout, stderr));
  }

  static BackgroundCapture start(Map<String, String> env, String... args) {
    return new BackgroundCapture(args, env);
  }

  /** Waits until the progress (stderr) holds {@code text}. */
  void awaitProgress(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!stderr().contains(text)) {
      if (System.nanoTime() > deadline || exit.isDone()) {
        throw new AssertionError("no '" + text + "' in the sidecar's progress within " + timeout + ":\n" + stderr());
      }
      Thread.sleep(5);
    }
  }

  /** The exit code, once the session ends. */
  int await(Duration timeout) throws Exception {
    return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  String stdout() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  String stderr() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }
}
