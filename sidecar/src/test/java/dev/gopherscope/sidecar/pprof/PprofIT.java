package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.GoDemoProcess;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Against the real Go demo service: three requests with distinct traceparents are in flight, and
 * a trace filter on the live goroutine profile finds each one's goroutines and nothing else.
 */
class PprofIT {

  private record Request(String path, String traceId, String spanId, String function) {
    String traceparent() {
      return "00-" + traceId + "-" + spanId + "-01";
    }
  }

  private static final List<Request> REQUESTS = List.of(
      new Request("/work/cpu?ms=4000", "11111111111111111111111111111111", "1111111111111111", "main.burnCPU"),
      new Request("/work/block?ms=4000", "22222222222222222222222222222222", "2222222222222222", "main.waitOnChannel"),
      new Request("/work/sleep?ms=4000", "33333333333333333333333333333333", "3333333333333333", "main.sleepFor"));

  private static final int IDLE = 50;

  @Test
  void aTraceFilterKeepsExactlyEachTracesGoroutinesAndStacks() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(IDLE)) {
      List<CompletableFuture<String>> responses = new ArrayList<>();
      for (Request request : REQUESTS) {
        responses.add(demo.getTraced(request.path(), request.traceparent()));
      }
      PprofProfile profile = awaitAllTraces(demo);

      for (Request request : REQUESTS) {
        PprofProfile trace = new SampleFilter(LabelMatcher.any().withTrace(request.traceparent())).apply(profile);

        assertThat(trace.samples().size()).as(request.path())
            .isEqualTo(samplesLabelled(profile, request.traceId())).isPositive();
        for (int s = 0; s < trace.samples().size(); s++) {
          assertThat(SampleFilterTest.labels(trace, s))
              .containsEntry("traceparent", request.traceparent())
              .containsEntry("trace_id", request.traceId())
              .containsEntry("span_id", request.spanId())
              .containsEntry("route", request.path().substring(0, request.path().indexOf('?')));
        }
        Set<String> functions = SampleFilterTest.functionNames(trace);
        assertThat(functions).contains(request.function(), "main.appMux.traced.func1");
        for (Request other : REQUESTS) {
          if (other != request) {
            assertThat(functions).doesNotContain(other.function());
          }
        }
        assertThat(functions).doesNotContain("main.idleWorker");
        StackGroups groups = StackGroups.of(trace, StackGroupOptions.defaults());
        assertThat(groups.groups()).anySatisfy(g -> assertThat(g.stack()).contains(request.function()));
      }

      PprofProfile idle = new SampleFilter(LabelMatcher.any().withLabel("route", "/idle")).apply(profile);
      assertThat(idle.total(0)).isEqualTo(IDLE);
      assertThat(SampleFilterTest.functionNames(idle)).contains("main.idleWorker");

      for (CompletableFuture<String> response : responses) {
        assertThat(response.get(30, TimeUnit.SECONDS)).isNotBlank();
      }
    }
  }

  /** Reads goroutine profiles, streamed straight into the decoder, until all three requests show. */
  private static PprofProfile awaitAllTraces(GoDemoProcess demo) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest get = HttpRequest.newBuilder(demo.pprofBase().resolve("/debug/pprof/goroutine?debug=0"))
        .timeout(Duration.ofSeconds(30)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      HttpResponse<InputStream> response = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
      PprofProfile profile;
      try (InputStream body = response.body()) {
        profile = new PprofDecoder().decode(body);
      }
      Set<String> seen = new HashSet<>();
      for (int s = 0; s < profile.samples().size(); s++) {
        String traceId = SampleFilterTest.labels(profile, s).get("trace_id");
        if (traceId != null) {
          seen.add(traceId);
        }
      }
      if (REQUESTS.stream().allMatch(r -> seen.contains(r.traceId()))) {
        // The same bytes through the in-memory path decode to the same profile.
        byte[] bytes = demo.pprof("/debug/pprof/goroutine?debug=0");
        assertThat(new PprofDecoder().decode(bytes).total(0)).isPositive();
        return profile;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the three traced requests never showed up together; saw traces " + seen);
      }
      Thread.sleep(100);
    }
  }

  private static long samplesLabelled(PprofProfile p, String traceId) {
    long count = 0;
    for (int s = 0; s < p.samples().size(); s++) {
      Map<String, String> labels = SampleFilterTest.labels(p, s);
      if (traceId.equals(labels.get("trace_id"))) {
        count++;
      }
    }
    return count;
  }
}
