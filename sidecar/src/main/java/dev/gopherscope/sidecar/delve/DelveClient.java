package dev.gopherscope.sidecar.delve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gopherscope.sidecar.delve.DelveTypes.DebuggerState;
import dev.gopherscope.sidecar.delve.DelveTypes.GoroutineFilter;
import dev.gopherscope.sidecar.delve.DelveTypes.GoroutinePage;
import dev.gopherscope.sidecar.delve.DelveTypes.Stackframe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A typed client for Delve's JSON-RPC v2 API: one JSON object per line over TCP on loopback.
 *
 * <p>Calls may be in flight at the same time and are matched to answers by id on a reader thread,
 * because {@code Command{continue}} only answers when the target stops again: {@link #resume()}
 * sends it and returns at once, and a later {@link #halt()} is answered while it is still pending.
 * Every call has a deadline, so a wedged Delve can never block the caller forever.
 */
public final class DelveClient implements AutoCloseable {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final Socket socket;
  private final OutputStream out;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Duration callTimeout;
  private volatile Throwable broken;

  private DelveClient(Socket socket, Duration callTimeout) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.callTimeout = callTimeout;
    Thread reader = new Thread(this::readAnswers, "delve-rpc-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects to a headless Delve listening on {@code host:port}. */
  public static DelveClient connect(String host, int port, Duration callTimeout) {
    try {
      Socket socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) Math.min(callTimeout.toMillis(), 10_000));
      return new DelveClient(socket, callTimeout);
    } catch (IOException e) {
      throw new DelveException("cannot connect to dlv at " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** Stops the target. Answers once every thread is stopped. */
  public DebuggerState halt() {
    return call("Command", Map.of("name", "halt"), JsonNode.class)
        .map(node -> JSON.convertValue(node.path("State"), DebuggerState.class));
  }

  /**
   * Lets the target run. Delve answers {@code continue} only when the target stops again, so this
   * sends the command and returns without waiting; the answer is discarded when it comes.
   */
  public void resume() {
    send("Command", Map.of("name", "continue"));
  }

  /** The debugger state without blocking on a running target. */
  public DebuggerState state() {
    return call("State", Map.of("NonBlocking", true), JsonNode.class)
        .map(node -> JSON.convertValue(node.path("State"), DebuggerState.class));
  }

  /**
   * One page of goroutines, filtered by Delve itself (a label filter avoids shipping every
   * goroutine over the socket). {@code count} bounds the goroutines Delve examines, not the ones
   * it returns, so a filtered page may be short; continue from {@link GoroutinePage#nextStart()}.
   */
  public GoroutinePage listGoroutines(int start, int count, List<GoroutineFilter> filters) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("Start", start);
    params.put("Count", count);
    params.put("Filters", filters.stream().map(GoroutineFilter::toWire).toList());
    return call("ListGoroutines", params, GoroutinePage.class).value();
  }

  /** The stack of one goroutine, at most {@code depth} frames, without loading variables. */
  public List<Stackframe> stacktrace(long goroutineId, int depth) {
    JsonNode node = call("Stacktrace", Map.of("Id", goroutineId, "Depth", depth), JsonNode.class).value();
    JavaType listType = JSON.getTypeFactory().constructCollectionType(List.class, Stackframe.class);
    return JSON.convertValue(node.path("Locations"), listType);
  }

  /**
   * Detaches from the target, leaving it running ({@code kill} would kill it instead). Delve
   * serialises Detach behind a pending {@code continue}, so a running target is halted first;
   * detaching then lets it run without a debugger.
   */
  public void detach(boolean kill) {
    if (state().running()) {
      halt();
    }
    call("Detach", Map.of("Kill", kill), JsonNode.class);
  }

  private <T> Answer<T> call(String method, Object params, Class<T> type) {
    CompletableFuture<JsonNode> answer = send(method, params);
    try {
      JsonNode result = answer.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Answer<>(JSON.treeToValue(result, type));
    } catch (TimeoutException e) {
      throw new DelveException("dlv did not answer " + method + " within " + callTimeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof DelveException de ? de
          : new DelveException("dlv " + method + " failed: " + cause.getMessage(), cause);
    } catch (JsonProcessingException e) {
      throw new DelveException("dlv answered " + method + " with an unexpected shape: " + e.getOriginalMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DelveException("interrupted waiting for dlv " + method, e);
    }
  }

  private CompletableFuture<JsonNode> send(String method, Object params) {
    if (broken != null) {
      throw new DelveException("connection to dlv is closed: " + broken.getMessage(), broken);
    }
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("method", "RPCServer." + method);
    request.put("params", List.of(params));
    request.put("id", id);
    try {
      byte[] line = JSON.writeValueAsBytes(request);
      synchronized (out) {
        out.write(line);
        out.write('\n');
        out.flush();
      }
    } catch (IOException e) {
      pending.remove(id);
      throw new DelveException("cannot send " + method + " to dlv: " + e.getMessage(), e);
    }
    return answer;
  }

  private void readAnswers() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode answer = JSON.readTree(line);
        CompletableFuture<JsonNode> waiting = pending.remove(answer.path("id").asLong(-1));
        if (waiting == null) {
          continue;
        }
        JsonNode error = answer.path("error");
        if (!error.isNull() && !error.isMissingNode()) {
          waiting.completeExceptionally(new DelveException("dlv: " + error.asText()));
        } else {
          waiting.complete(answer.path("result"));
        }
      }
      failAll(new DelveException("dlv closed the connection"));
    } catch (IOException e) {
      failAll(new DelveException("connection to dlv lost: " + e.getMessage(), e));
    }
  }

  private void failAll(DelveException cause) {
    broken = cause;
    pending.values().forEach(f -> f.completeExceptionally(cause));
    pending.clear();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to recover: the socket is gone either way.
    }
  }

  private record Answer<T>(T value) {
    <R> R map(java.util.function.Function<T, R> f) {
      return f.apply(value);
    }
  }
}
