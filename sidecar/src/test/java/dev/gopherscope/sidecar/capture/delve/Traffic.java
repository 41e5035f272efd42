package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.testsupport.GoDemoProcess;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests sent one after another on a background thread, each with a fresh trace, until closed. */
final class Traffic implements AutoCloseable {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger completed = new AtomicInteger();
  private final CompletableFuture<Void> loop;

  Traffic(GoDemoProcess demo, String path) {
    loop = CompletableFuture.runAsync(() -> {
      while (running.get()) {
        try {
          demo.getTraced(path, null).get(60, TimeUnit.SECONDS);
          completed.incrementAndGet();
        } catch (Exception e) {
          return; // the demo is going away
        }
      }
    });
  }

  int completed() {
    return completed.get();
  }

  @Override
  public void close() throws Exception {
    running.set(false);
    loop.get(60, TimeUnit.SECONDS);
  }
}
