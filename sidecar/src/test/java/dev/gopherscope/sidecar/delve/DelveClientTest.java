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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
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
      assertThatThrownBy(() -> client.stacktrace(99, 10)).isInstanceOf(DelveException.class)
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
  void explainsWhyDlvCouldNotAttach() {
    assertThat(DelveServer.explainFailure(List.of("could not attach to pid 1: operation not permitted")))
        .contains("CAP_SYS_PTRACE");
    assertThat(DelveServer.explainFailure(List.of("could not open debug info"))).contains("DWARF");
  }
}
