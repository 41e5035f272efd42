package dev.gopherscope.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.pprof.GoroutineDump;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.PprofLimits;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a goroutine profile and dump of the real demo (see src/test/resources/pprof/README.md): the
 * burner and the sleeper have stacks of their own; the two blocked requests, one of each trace,
 * share theirs.
 */
class TraceGoroutinesTest {

  private static final String BURNER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SLEEPER_TRACE = "5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c";

  @Test
  void findsTheGoroutinesOfOneTraceByStackAndCountsTheOnesItCannotTellApart() throws IOException {
    PprofProfile profile = profile();
    List<GoroutineDump.Goroutine> dump = dump();

    TraceGoroutines burner = TraceGoroutines.find(profile, dump, LabelMatcher.any().withTrace(BURNER_TRACE));
    assertThat(burner.ids()).containsExactly(29L);
    assertThat(burner.ambiguous()).isEqualTo(2);

    TraceGoroutines sleeper = TraceGoroutines.find(profile, dump, LabelMatcher.any().withTrace(SLEEPER_TRACE));
    assertThat(sleeper.ids()).containsExactly(28L);
    assertThat(sleeper.ambiguous()).isEqualTo(2);
  }

  @Test
  void aFilterOnTheRouteKeepsBothBlockedRequests() throws IOException {
    TraceGoroutines blocked = TraceGoroutines.find(profile(), dump(), LabelMatcher.any().withLabel("route", "/work/block"));

    assertThat(blocked.ids()).containsExactly(30L, 34L);
    assertThat(blocked.ambiguous()).isZero();
  }

  @Test
  void aRunningGoroutineMatchesAlthoughItsInnermostFramesMoved() throws IOException {
    // The burner, read again a moment later: deeper in sha256 than in the profile.
    List<String> moved = new java.util.ArrayList<>(dump().stream().filter(g -> g.id() == 29).findFirst()
        .orElseThrow().functions());
    moved.set(0, "crypto/internal/fips140/sha256.blockAMD64");
    moved.add(0, "runtime.asyncPreempt");
    TraceGoroutines found = TraceGoroutines.find(profile(), List.of(new GoroutineDump.Goroutine(99, "running", moved)),
        LabelMatcher.any().withTrace(BURNER_TRACE));

    assertThat(found.ids()).containsExactly(99L);
  }

  @Test
  void aRequestThatReachedAnotherHandlerIsNotTheSameGoroutine() throws IOException {
    // A request that started after the profile was read: it shares the middleware with the
    // labelled requests of both traces, and then runs the program's own code elsewhere.
    List<String> functions = new java.util.ArrayList<>(List.of("runtime.mallocgc", "main.allocate", "main.handleAlloc"));
    List<String> burner = dump().stream().filter(g -> g.id() == 29).findFirst().orElseThrow().functions();
    functions.addAll(burner.subList(burner.indexOf("main.handleCPU") + 1, burner.size()));
    TraceGoroutines found = TraceGoroutines.find(profile(), List.of(new GoroutineDump.Goroutine(88, "running", functions)),
        LabelMatcher.any().withTrace(BURNER_TRACE));

    assertThat(found.ids()).isEmpty();
    assertThat(found.ambiguous()).isZero();
  }

  @Test
  void aGoroutineWhoseStackOnlyStartsLikeALabelledOneIsNotKept() throws IOException {
    // A new keep-alive connection: it shares only net/http.(*conn).serve with the requests.
    GoroutineDump.Goroutine idle = new GoroutineDump.Goroutine(77, "IO wait", List.of("internal/poll.runtime_pollWait",
        "internal/poll.(*pollDesc).wait", "internal/poll.(*FD).Read", "net.(*netFD).Read", "net.(*conn).Read",
        "net/http.(*connReader).Read", "bufio.(*Reader).fill", "bufio.(*Reader).Peek", "net/http.(*conn).serve"));

    assertThat(TraceGoroutines.find(profile(), List.of(idle), LabelMatcher.any().withTrace(BURNER_TRACE)).ids())
        .isEmpty();
  }

  private static PprofProfile profile() throws IOException {
    try (InputStream in = resource("goroutine-two-traces.pb.gz")) {
      return new PprofDecoder(PprofLimits.defaults()).decode(in);
    }
  }

  private static List<GoroutineDump.Goroutine> dump() throws IOException {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(resource("goroutine-two-traces.debug2.txt"),
        StandardCharsets.UTF_8))) {
      return GoroutineDump.read(lines);
    }
  }

  private static InputStream resource(String name) {
    return TraceGoroutinesTest.class.getResourceAsStream("/pprof/" + name);
  }
}
