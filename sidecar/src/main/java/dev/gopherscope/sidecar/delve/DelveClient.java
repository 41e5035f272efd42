package dev.gopherscope.sidecar.delve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gopherscope.sidecar.delve.DelveTypes.Breakpoint;
import dev.gopherscope.sidecar.delve.DelveTypes.BreakpointSpec;
import dev.gopherscope.sidecar.delve.DelveTypes.DebuggerState;
import dev.gopherscope.sidecar.delve.DelveTypes.FoundLocation;
import dev.gopherscope.sidecar.delve.DelveTypes.GoroutineFilter;
import dev.gopherscope.sidecar.delve.DelveTypes.GoroutinePage;
import dev.gopherscope.sidecar.delve.DelveTypes.LoadConfig;
import dev.gopherscope.sidecar.delve.DelveTypes.Stackframe;
import dev.gopherscope.sidecar.delve.DelveTypes.Variable;
import dev.gopherscope.sidecar.delve.DelveTypes.Version;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Every call has a deadline, so a wedged Delve can never block the caller forever. Whatever comes
 * back is checked before it is trusted: an answer that is not JSON, carries no or an unknown id,
 * is cut off or exceeds {@link #MAX_ANSWER_BYTES} fails every pending call with a
 * {@link ProtocolException} and closes the connection; the caller then resumes the target or kills dlv.
 */
public final class DelveClient implements AutoCloseable {

  /**
   * The largest answer read: what the sidecar's 48 MiB heap can afford to parse. Measured with
   * dlv 1.27's ListGoroutines answers (about 850 bytes a goroutine): a 4.3 MB page of 5,000
   * goroutines parses into 28 MiB of heap; a full 10,000-goroutine page (8.5 MB) does not parse in
   * 48 MiB at all. Anything over the limit fails the call with a clear message instead of running
   * the sidecar (and its watchdog) out of memory; an endless answer from a broken or hostile dlv
   * costs no more than the limit.
   */
  static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** The selected goroutine's innermost frame: where Delve evaluates unless told otherwise. */
  private static final Map<String, Object> CURRENT_SCOPE = Map.of("GoroutineID", -1, "Frame", 0, "DeferredCall", 0);

  private final Socket socket;
  private final OutputStream out;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Duration callTimeout;
  private volatile Throwable broken;

  /**
   * Jackson builds a type's deserializer on first use, which takes milliseconds; done here, before
   * any halt, rather than inside the first halt that reads goroutines or stacks.
   */
  static {
    try {
      for (Class<?> type : List.of(GoroutinePage.class, Stackframe.class, DebuggerState.class, Breakpoint.class,
          FoundLocation.class, Variable.class, Version.class)) {
        JSON.readValue("{}", type);
      }
    } catch (JsonProcessingException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

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

  /**
   * Stops the running target. Answers once every thread is stopped. Delve asks for the stop with
   * a SIGTRAP to the process, which its pending {@code continue} consumes; on a target that is
   * already stopped (just attached, say) nothing consumes it, and if dlv then dies the signal
   * reaches the Go runtime, which dies of it. So halt only a target that runs.
   */
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

  /**
   * Lets the target run and returns once Delve has resumed it, without waiting for it to stop
   * again. Delve reads a connection's next request only when the previous asynchronous command is
   * under way, which for {@code continue} means after the target's threads were resumed; so the
   * answer to a {@code State} sent right behind the {@code continue} is the acknowledgement.
   */
  public DebuggerState resumeAndConfirm() {
    resume();
    return state();
  }

  /**
   * Lets the target run until it stops (a breakpoint, a halt, its exit), returning once Delve has
   * resumed it (as {@link #resumeAndConfirm()}); {@link PendingStop#await} then waits for the stop.
   * The split lets a caller time a pause from a stop to the confirmed resume.
   */
  public PendingStop continueUntilStop() {
    CompletableFuture<JsonNode> stopped = send("Command", Map.of("name", "continue"));
    state();
    return new PendingStop(stopped);
  }

  /** A {@code continue} in flight: its answer comes when the target stops again. */
  public static final class PendingStop {

    private final CompletableFuture<JsonNode> answer;

    private PendingStop(CompletableFuture<JsonNode> answer) {
      this.answer = answer;
    }

    /**
     * The state at the stop, with the stopped threads' breakpoints and what they loaded; empty if
     * the target did not stop within {@code timeout}: it still runs and the {@code continue} stays
     * pending, and a {@link DelveClient#halt()} then stops it (its answer describes the stop,
     * including a breakpoint hit at the same moment).
     */
    public Optional<DebuggerState> await(Duration timeout) {
      try {
        JsonNode result = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return Optional.of(JSON.convertValue(result.path("State"), DebuggerState.class));
      } catch (TimeoutException e) {
        return Optional.empty();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof DelveException de ? de
            : new DelveException("dlv continue failed: " + cause.getMessage(), cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DelveException("interrupted waiting for the target to stop", e);
      }
    }
  }

  /**
   * Where in the code a location expression points, without setting anything: the places a
   * {@link #createBreakpoint} with the same expression would write its traps to. Delve sets a
   * breakpoint only when this finds exactly one place. Like every call that needs the target, it
   * waits while a {@code continue} is pending, so halt first.
   */
  public List<FoundLocation> findLocation(String location) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("Scope", CURRENT_SCOPE);
    params.put("Loc", location);
    params.put("IncludeNonExecutableLines", false);
    params.put("SubstitutePathRules", List.of());
    return list(call("FindLocation", params, JsonNode.class).value(), "Locations", FoundLocation.class);
  }

  /**
   * Sets a breakpoint at a location expression Delve understands ({@code main.handleCheckout},
   * {@code handler.go:42}, {@code pkg.(*T).Method}). Delve writes it into the target at once, so
   * the target must be halted.
   */
  public Breakpoint createBreakpoint(String location, BreakpointSpec spec) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("Breakpoint", spec.toWire());
    params.put("LocExpr", location);
    return field(call("CreateBreakpoint", params, JsonNode.class).value(), "Breakpoint", Breakpoint.class);
  }

  /** Removes a breakpoint from the target (which must be halted) and returns it as it was. */
  public Breakpoint clearBreakpoint(int id) {
    return field(call("ClearBreakpoint", Map.of("Id", id), JsonNode.class).value(), "Breakpoint", Breakpoint.class);
  }

  /**
   * The logical breakpoints: the user's, and the two Delve sets on attach (negative ids, on
   * {@code runtime.fatalpanic} and the fatal-throw paths). Like every call that needs the target,
   * it waits while a {@code continue} is pending, so halt first.
   */
  public List<Breakpoint> listBreakpoints() {
    return list(call("ListBreakpoints", Map.of("All", false), JsonNode.class).value(), "Breakpoints", Breakpoint.class);
  }

  /** Delve's version and the Go version it read from the target. */
  public Version version() {
    return call("GetVersion", Map.of(), Version.class).value();
  }

  /**
   * Evaluates a Go expression in the selected goroutine's scope; package variables such as
   * {@code runtime.allglen} work from any goroutine. The target must be halted.
   */
  public Variable eval(String expression, LoadConfig load) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("Scope", CURRENT_SCOPE);
    params.put("Expr", expression);
    params.put("Cfg", load);
    return field(call("Eval", params, JsonNode.class).value(), "Variable", Variable.class);
  }

  /**
   * Sets a variable to {@code value} (a Go literal), as Delve's {@code set} command does; package
   * variables such as {@code runtime.mutexprofilerate} work from any goroutine. The target must be halted.
   */
  public void set(String symbol, String value) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("Scope", CURRENT_SCOPE);
    params.put("Symbol", symbol);
    params.put("Value", value);
    call("Set", params, JsonNode.class);
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
    return list(call("Stacktrace", Map.of("Id", goroutineId, "Depth", depth), JsonNode.class).value(), "Locations",
        Stackframe.class);
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

  private static <T> T field(JsonNode result, String name, Class<T> type) {
    return JSON.convertValue(result.path(name), type);
  }

  /** A list field of an answer; empty when Delve sent null or nothing. */
  private static <T> List<T> list(JsonNode result, String name, Class<T> type) {
    JavaType listType = JSON.getTypeFactory().constructCollectionType(List.class, type);
    List<T> items = JSON.convertValue(result.path(name), listType);
    return items == null ? List.of() : items;
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
    try (InputStream in = socket.getInputStream()) {
      AnswerLines lines = new AnswerLines(in, MAX_ANSWER_BYTES);
      Line line;
      while ((line = lines.next()) != null) {
        JsonNode answer = parse(line);
        long id = answer.path("id").asLong(-1);
        CompletableFuture<JsonNode> waiting = pending.remove(id);
        if (waiting == null) {
          // Every call stays pending until answered, so this answer belongs to no call: whatever sent
          // it is not following the protocol, and nothing it sends later can be matched with confidence.
          throw new ProtocolException("dlv answered request id " + answer.path("id")
              + ", which no call is waiting for");
        }
        JsonNode error = answer.path("error");
        if (!error.isNull() && !error.isMissingNode()) {
          waiting.completeExceptionally(new RefusedException("dlv: " + error.asText()));
        } else {
          waiting.complete(answer.path("result"));
        }
      }
      failAll(new DelveException("dlv closed the connection"));
    } catch (ProtocolException e) {
      failAll(e);
      close();
    } catch (IOException e) {
      failAll(new DelveException("connection to dlv lost: " + e.getMessage(), e));
    } catch (OutOfMemoryError e) {
      // This thread must not die with calls pending: they would wait out their whole timeout.
      failAll(new ProtocolException("an answer from dlv did not fit in the sidecar's memory (" + e.getMessage()
          + ")"));
      close();
    }
  }

  private static JsonNode parse(Line line) {
    JsonNode answer;
    try {
      answer = JSON.readTree(line.stream());
    } catch (IOException e) {
      throw new ProtocolException("dlv sent an answer that is not JSON (" + line.size() + " bytes): "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (answer == null || !answer.isObject() || !answer.path("id").canConvertToLong()) {
      throw new ProtocolException("dlv sent an answer without a request id (" + line.size() + " bytes)");
    }
    return answer;
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

  /**
   * Delve answered the call with an error: the connection is fine, and Delve says why it did not
   * do what was asked (which it may still have done in part).
   */
  public static final class RefusedException extends DelveException {
    public RefusedException(String message) {
      super(message);
    }
  }

  /**
   * dlv sent something that is not a Delve answer: not JSON, no or an unknown id, cut off, or too
   * large. The connection is closed, since nothing after it can be trusted.
   */
  public static final class ProtocolException extends DelveException {
    public ProtocolException(String message) {
      super(message);
    }
  }

  /**
   * Splits the stream into answers, one a line, and refuses a line over the limit while reading
   * it, so an endless answer costs at most the limit in memory, not the heap. A line is kept as
   * the pieces it arrived in and parsed from them: one contiguous copy would double the cost.
   */
  private static final class AnswerLines {

    private final InputStream in;
    private final int max;
    private final byte[] chunk = new byte[64 * 1024];
    private int pos;
    private int end;

    AnswerLines(InputStream in, int max) {
      this.in = in;
      this.max = max;
    }

    /** The next answer without its newline, or null when the stream ends between answers. */
    Line next() throws IOException {
      List<byte[]> pieces = new ArrayList<>();
      long size = 0;
      while (true) {
        if (pos == end) {
          int read = in.read(chunk);
          if (read < 0) {
            if (size == 0) {
              return null;
            }
            throw new ProtocolException("dlv closed the connection in the middle of an answer, after " + size
                + " bytes of it");
          }
          pos = 0;
          end = read;
        }
        int newline = pos;
        while (newline < end && chunk[newline] != '\n') {
          newline++;
        }
        if (size + (newline - pos) > max) {
          throw new ProtocolException("dlv sent an answer over the " + max / 1024 / 1024 + " MiB limit; "
              + "refusing it (a sane answer is far smaller, and this one would not fit the sidecar's heap)");
        }
        if (newline > pos) {
          pieces.add(Arrays.copyOfRange(chunk, pos, newline));
          size += newline - pos;
        }
        if (newline < end) {
          pos = newline + 1;
          return new Line(pieces, size);
        }
        pos = end;
      }
    }
  }

  /** One answer as the pieces it arrived in. */
  private record Line(List<byte[]> pieces, long size) {
    InputStream stream() {
      return new SequenceInputStream(Collections.enumeration(
          pieces.stream().map(ByteArrayInputStream::new).toList()));
    }
  }

  private record Answer<T>(T value) {
    <R> R map(java.util.function.Function<T, R> f) {
      return f.apply(value);
    }
  }
}
