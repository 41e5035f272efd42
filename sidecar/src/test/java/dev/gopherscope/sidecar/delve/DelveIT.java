package dev.gopherscope.sidecar.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.delve.DelveTypes.DebuggerState;
import dev.gopherscope.sidecar.delve.DelveTypes.Goroutine;
import dev.gopherscope.sidecar.delve.DelveTypes.GoroutineFilter;
import dev.gopherscope.sidecar.delve.DelveTypes.GoroutinePage;
import dev.gopherscope.sidecar.delve.DelveTypes.Stackframe;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Real dlv attached to the real Go demo process. */
class DelveIT {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
  private static final int IDLE = 2_000;

  @Test
  void haltsListsByLabelReadsAStackAndResumes() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(IDLE)) {
      CompletableFuture<String> blocked = demo.getTraced("/work/block?ms=30000", TRACEPARENT);
      awaitGoroutineWithLabel(demo, TRACE_ID);

      try (DelveServer dlv = DelveServer.attach(TestEnvironment.get().dlv(), demo.pid(), Duration.ofSeconds(60));
           DelveClient client = dlv.connect(Duration.ofSeconds(60))) {
        // Attaching stops the target; halting again must be harmless and report it stopped.
        DebuggerState state = client.halt();
        assertThat(state.running()).isFalse();
        assertThat(state.pid()).isEqualTo((int) demo.pid());

        List<Goroutine> traced = listAll(client, List.of(GoroutineFilter.label("trace_id", TRACE_ID)));
        assertThat(traced).as("goroutines serving trace %s", TRACE_ID).hasSize(1);
        Goroutine handler = traced.get(0);
        assertThat(handler.labelsOrEmpty())
            .containsEntry("trace_id", TRACE_ID)
            .containsEntry("traceparent", TRACEPARENT)
            .containsEntry("route", "/work/block");

        List<Goroutine> idle = listAll(client, List.of(GoroutineFilter.label("route", "/idle")));
        assertThat(idle).as("idle labelled goroutines, over several pages").hasSize(IDLE);

        List<Stackframe> stack = client.stacktrace(handler.id(), 64);
        assertThat(stack).extracting(Stackframe::functionName).contains("main.waitOnChannel");

        client.resume();
        // The target serves again while dlv stays attached.
        assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
        assertThat(client.state().running()).isTrue();
        client.detach(false);
      }
      assertThat(demo.isAlive()).isTrue();
      assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
      blocked.cancel(true);
    }
  }

  private static List<Goroutine> listAll(DelveClient client, List<GoroutineFilter> filters) {
    List<Goroutine> all = new ArrayList<>();
    int start = 0;
    int pages = 0;
    do {
      GoroutinePage page = client.listGoroutines(start, 500, filters);
      all.addAll(page.goroutinesOrEmpty());
      start = page.nextStart();
      pages++;
    } while (start >= 0 && pages < 1_000);
    return all;
  }

  /** The handler runs once pprof shows a goroutine labelled with the trace. */
  private static void awaitGoroutineWithLabel(GoDemoProcess demo, String traceId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      String dump = new String(demo.pprof("/debug/pprof/goroutine?debug=1"), StandardCharsets.UTF_8);
      if (dump.contains(traceId)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no goroutine labelled " + traceId + " appeared within 10 s");
  }
}
