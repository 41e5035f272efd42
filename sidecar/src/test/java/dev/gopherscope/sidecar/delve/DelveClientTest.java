package dev.gopherscope.sidecar.delve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import dev.gopherscope.sidecar.delve.DelveTypes.BreakpointSpec;
import dev.gopherscope.sidecar.delve.DelveTypes.DebuggerState;
import dev.gopherscope.sidecar.delve.DelveTypes.FoundLocation;
import dev.gopherscope.sidecar.delve.DelveTypes.LoadConfig;
import dev.gopherscope.sidecar.delve.DelveTypes.TargetThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JSON-RPC plumbing against a scripted fake server; real Delve is exercised in DelveIT. */
class DelveClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private ServerSocket server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** Starts a fake dlv that hands each request to {@code script} with a writer for answers. */
  private DelveClient fake(BiConsumer<JsonNode, PrintWriter> script, Duration timeout) throws Exception {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try (Socket s = server.accept();
           BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
           PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          JsonNode request = JSON.readTree(line);
          received.add(request);
          script.accept(request, out);
        }
      } catch (Exception e) {
        // the test closed the connection
      }
    });
    t.setDaemon(true);
    t.start();
    return DelveClient.connect("127.0.0.1", server.getLocalPort(), timeout);
  }

  /** Trimmed from what dlv 1.27.2 answered when the demo hit a breakpoint on main.burnCPU. */
  private static final String STOPPED_AT_BREAKPOINT = "{\"State\":{\"Pid\":9268,\"Running\":false,"
      + "\"Threads\":[{\"id\":9270,\"pc\":6784462,\"goroutineID\":113,"
      + "\"breakPoint\":{\"id\":1,\"name\":\"gsnap1\",\"addrs\":[6784462],\"functionName\":\"main.burnCPU\","
      + "\"continue\":false,\"totalHitCount\":1},"
      + "\"breakPointInfo\":{\"stacktrace\":[{\"pc\":6784462,\"file\":\"workloads.go\",\"line\":30,"
      + "\"function\":{\"name\":\"main.burnCPU\",\"value\":6784448},\"Locals\":null,\"Arguments\":null}],"
      + "\"goroutine\":{\"id\":113,\"status\":2,\"labels\":{\"route\":\"/work/cpu\"}},"
      + "\"arguments\":[{\"name\":\"d\",\"addr\":13758215386640154624,\"type\":\"time.Duration\","
      + "\"kind\":6,\"value\":\"5000000\",\"children\":[]}]}}]}}";

  private static String answer(JsonNode request, String result) {
    return "{\"id\":" + request.get("id").asLong() + ",\"result\":" + result + ",\"error\":null}";
  }

  @Test
  void resumeDoesNotWaitAndAHaltIsAnsweredWhileContinueIsPending() throws Exception {
    try (DelveClient client = fake((request, out) -> {
      String method = request.get("method").asText();
      String name = request.path("params").path(0).path("name").asText();
      if (method.equals("RPCServer.Command") && name.equals("halt")) {
        out.println(answer(request, "{\"State\":{\"Pid\":42,\"Running\":false}}"));
      }
      // continue is never answered, like real dlv while the target runs
    }, Duration.ofSeconds(5))) {
      long before = System.nanoTime();
      client.resume();
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
      assertThat(client.halt().pid()).isEqualTo(42);
      assertThat(received).extracting(r -> r.path("params").path(0).path("name").asText())
          .containsExactly("continue", "halt");
    }
  }

  @Test
  void sendsLabelFiltersInDelvesWireShape() throws Exception {
    try (DelveClient client = fake((request, out) -> out.println(answer(request,
        "{\"Goroutines\":[{\"id\":7,\"labels\":{\"trace_id\":\"abc\"},\"currentLoc\":{\"function\":{\"name\":\"main.f\"}}}],"
            + "\"Nextg\":-1}")), Duration.ofSeconds(5))) {
      var page = client.listGoroutines(0, 100, List.of(DelveTypes.GoroutineFilter.label("trace_id", "abc")));
      assertThat(page.hasMore()).isFalse();
      assertThat(page.goroutinesOrEmpty()).singleElement().satisfies(g -> {
        assertThat(g.id()).isEqualTo(7);
        assertThat(g.labelsOrEmpty()).containsEntry("trace_id", "abc");
        assertThat(g.currentLoc().functionName()).isEqualTo("main.f");
      });
      JsonNode params = received.get(0).path("params").path(0);
      assertThat(received.get(0).path("method").asText()).isEqualTo("RPCServer.ListGoroutines");
      assertThat(params.path("Filters").path(0).path("Kind").asInt()).isEqualTo(5);
      assertThat(params.path("Filters").path(0).path("Arg").asText()).isEqualTo("trace_id=abc");
      assertThat(params.path("Count").asInt()).isEqualTo(100);
    }
  }

  @Test
  void anErrorAnswerBecomesADelveException() throws Exception {
    try (DelveClient client = fake((request, out) -> out.println(
        "{\"id\":" + request.get("id").asLong() + ",\"result\":null,\"error\":\"unknown goroutine 99\"}"),
        Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> client.stacktrace(99, 10)).isInstanceOf(DelveClient.RefusedException.class)
          .hasMessageContaining("unknown goroutine 99");
    }
  }

  @Test
  void aSilentServerTimesOutInsteadOfHanging() throws Exception {
    try (DelveClient client = fake((request, out) -> { }, Duration.ofMillis(300))) {
      long before = System.nanoTime();
      assertThatThrownBy(client::halt).isInstanceOf(DelveException.class).hasMessageContaining("within 300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aClosedConnectionFailsPendingAndLaterCalls() throws Exception {
    try (DelveClient client = fake((request, out) -> out.close(), Duration.ofSeconds(5))) {
      assertThatThrownBy(client::halt).isInstanceOf(DelveException.class).hasMessageContaining("closed");
      assertThatThrownBy(client::halt).isInstanceOf(DelveException.class);
    }
  }

  @Test
  void anAnswerToNoPendingCallIsAProtocolErrorAtOnce() throws Exception {
    try (DelveClient client = fake((request, out) -> out.println("{\"id\":987654321,\"result\":{},\"error\":null}"),
        Duration.ofSeconds(30))) {
      long before = System.nanoTime();
      assertThatThrownBy(client::halt).isInstanceOf(DelveClient.ProtocolException.class)
          .hasMessage("dlv answered request id 987654321, which no call is waiting for");
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
      assertThatThrownBy(client::state).isInstanceOf(DelveException.class).hasMessageContaining("closed");
    }
  }

  @Test
  void anAnswerOverTheLimitIsRefusedWhileItIsRead() throws Exception {
    char[] junk = new char[64 * 1024];
    java.util.Arrays.fill(junk, 'x');
    String chunk = new String(junk);
    try (DelveClient client = fake((request, out) -> {
      out.print("{\"id\":" + request.get("id").asLong() + ",\"result\":\"");
      for (long sent = 0; sent <= DelveClient.MAX_ANSWER_BYTES && !out.checkError(); sent += chunk.length()) {
        out.print(chunk);
      }
      out.println("\"}");
    }, Duration.ofSeconds(30))) {
      assertThatThrownBy(client::halt).isInstanceOf(DelveClient.ProtocolException.class)
          .hasMessageContaining("over the " + DelveClient.MAX_ANSWER_BYTES / 1024 / 1024 + " MiB limit");
    }
  }

  @Test
  void continueUntilStopReturnsOnceResumedAndThenWaitsForTheStop() throws Exception {
    CompletableFuture<Runnable> answerContinue = new CompletableFuture<>();
    try (DelveClient client = fake((request, out) -> {
      String method = request.get("method").asText();
      if (method.equals("RPCServer.Command")) {
        answerContinue.complete(() -> out.println(answer(request, STOPPED_AT_BREAKPOINT)));
      } else if (method.equals("RPCServer.State")) {
        out.println(answer(request, "{\"State\":{\"Running\":true}}"));
      }
    }, Duration.ofSeconds(5))) {
      DelveClient.PendingStop pending = client.continueUntilStop();

      assertThat(received).extracting(r -> r.get("method").asText())
          .containsExactly("RPCServer.Command", "RPCServer.State");
      assertThat(pending.await(Duration.ofMillis(100))).as("still running").isEmpty();
      answerContinue.get(5, TimeUnit.SECONDS).run();

      DebuggerState state = pending.await(Duration.ofSeconds(5)).orElseThrow();
      assertThat(state.running()).isFalse();
      TargetThread hit = state.threadsOrEmpty().get(0);
      assertThat(hit.goroutineId()).isEqualTo(113);
      assertThat(hit.breakpoint().id()).isEqualTo(1);
      assertThat(hit.breakpoint().addrs()).containsExactly(6784462L);
      assertThat(hit.breakpointInfo().goroutine().labelsOrEmpty()).containsEntry("route", "/work/cpu");
      assertThat(hit.breakpointInfo().stacktrace()).extracting(DelveTypes.Stackframe::functionName)
          .containsExactly("main.burnCPU");
      assertThat(hit.breakpointInfo().arguments()).singleElement().satisfies(d -> {
        assertThat(d.name()).isEqualTo("d");
        assertThat(d.value()).isEqualTo("5000000");
        assertThat(Long.toUnsignedString(d.addr())).as("a uint64 beyond long").isEqualTo("13758215386640154624");
      });
    }
  }

  @Test
  void findsLocationsInDelvesWireShapeWithEveryAddress() throws Exception {
    try (DelveClient client = fake((request, out) -> out.println(answer(request,
        "{\"Locations\":[{\"pc\":6784462,\"file\":\"workloads.go\",\"line\":30,"
            + "\"function\":{\"name\":\"main.burnCPU\",\"value\":6784448},"
            + "\"pcs\":[6784462,18446744073709551615],\"pcpids\":[9268,9268]}],\"SubstituteLocExpr\":\"\"}")),
        Duration.ofSeconds(5))) {
      List<FoundLocation> found = client.findLocation("main.burnCPU");

      assertThat(found).hasSize(1);
      assertThat(found.get(0).addresses()).containsExactly(6784462L, -1L);
      assertThat(found.get(0).function().name()).isEqualTo("main.burnCPU");
      JsonNode params = received.get(0).path("params").path(0);
      assertThat(received.get(0).path("method").asText()).isEqualTo("RPCServer.FindLocation");
      assertThat(params.path("Loc").asText()).isEqualTo("main.burnCPU");
      assertThat(params.path("Scope").path("GoroutineID").asLong()).isEqualTo(-1);
      assertThat(params.path("IncludeNonExecutableLines").asBoolean()).isFalse();
      assertThat(params.path("SubstitutePathRules").isArray()).isTrue();
    }
  }

  @Test
  void aLocationWithoutPcsIsAtItsPc() {
    assertThat(new FoundLocation(4096, null, "f.go", 7, null).addresses()).containsExactly(4096L);
    assertThat(new FoundLocation(4096, List.of(), "f.go", 7, null).addresses()).containsExactly(4096L);
  }

  @Test
  void createsBreakpointsInDelvesWireShape() throws Exception {
    try (DelveClient client = fake((request, out) -> out.println(answer(request,
        "{\"Breakpoint\":{\"id\":3,\"name\":\"snap1\",\"addrs\":[4096],\"functionName\":\"main.f\","
            + "\"file\":\"f.go\",\"line\":7,\"Cond\":\"n > 1\",\"continue\":false}}")),
        Duration.ofSeconds(5))) {
      LoadConfig load = new LoadConfig(true, 1, 256, 32, 16);
      DelveTypes.Breakpoint bp = client.createBreakpoint("main.f",
          new BreakpointSpec("snap1", "n > 1", 10, true, load, null));

      assertThat(bp.id()).isEqualTo(3);
      assertThat(bp.condition()).isEqualTo("n > 1");
      JsonNode params = received.get(0).path("params").path(0);
      assertThat(received.get(0).path("method").asText()).isEqualTo("RPCServer.CreateBreakpoint");
      assertThat(params.path("LocExpr").asText()).isEqualTo("main.f");
      JsonNode wire = params.path("Breakpoint");
      assertThat(wire.path("name").asText()).isEqualTo("snap1");
      assertThat(wire.path("Cond").asText()).isEqualTo("n > 1");
      assertThat(wire.path("stacktrace").asInt()).isEqualTo(10);
      assertThat(wire.path("goroutine").asBoolean()).isTrue();
      assertThat(wire.path("LoadArgs").path("FollowPointers").asBoolean()).isTrue();
      assertThat(wire.path("LoadArgs").path("MaxStringLen").asInt()).isEqualTo(256);
      assertThat(wire.path("LoadArgs").path("MaxStructFields").asInt()).isEqualTo(16);
      assertThat(wire.path("LoadLocals").isNull()).isTrue();
    }
  }

  @Test
  void explainsWhyDlvCouldNotAttach() {
    assertThat(DelveServer.explainFailure(List.of("could not attach to pid 1: operation not permitted")))
        .contains("CAP_SYS_PTRACE");
    assertThat(DelveServer.explainFailure(List.of("could not open debug info"))).contains("DWARF");
  }
}
