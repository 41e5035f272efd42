package dev.gopherscope.demo;

import dev.gopherscope.testsupport.GoDemoProcess;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Traced requests against the demo service while the demo runs, as a tracing SDK would send them:
 * each with its own W3C traceparent, some blocking on a channel, some burning CPU, some fanning out.
 * Bounded: a few requests a second, stopped when the demo ends.
 */
final class TracedLoad implements AutoCloseable {

  private static final String[] WORK = {"/work/block?ms=4000", "/work/cpu?ms=400", "/work/fanout?n=4&ms=3000",
      "/work/sleep?ms=2000"};
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "traced-load");
    t.setDaemon(true);
    return t;
  });
  private int sent;

  private TracedLoad(GoDemoProcess app) {
    scheduler.scheduleAtFixedRate(() -> {
      if (sent < 2_000) {
        String path = WORK[sent++ % WORK.length];
        app.getTraced(path, traceparent());
      }
    }, 0, 250, TimeUnit.MILLISECONDS);
  }

  static TracedLoad start(GoDemoProcess app) {
    return new TracedLoad(app);
  }

  private static String traceparent() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format(Locale.ROOT, "00-%016x%016x-%016x-01", random.nextLong() | 1, random.nextLong(),
        random.nextLong() | 1);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
