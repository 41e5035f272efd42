package dev.gopherscope.sidecar.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A man in the middle between the sidecar's DelveClient and a real headless dlv: it passes
 * everything through until dlv has answered a {@code halt} (the target is stopped now), then
 * spoils dlv's answer to the first request after it, as a broken or hostile dlv would. When dlv's
 * side closes, the sidecar's side is closed too, as it would be if dlv were the other end.
 */
final class HostileDelveProxy implements AutoCloseable {

  /** What the answer to the first request after the halt becomes. */
  enum Fault {
    /** A line that is not JSON. */
    MALFORMED_JSON,
    /** The real answer under an id no call is waiting for. */
    WRONG_ID,
    /** The first half of the real answer, then the connection closes. */
    TRUNCATED_THEN_CLOSE,
    /** An answer that never ends (up to 1 GiB), with no newline. */
    HUGE_ANSWER,
    /** No answer at all, the connection left open. */
    STALL
  }

  static final long WRONG_ID = 987_654_321L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long HUGE_LIMIT = 1L << 30;

  private final ServerSocket server;
  private final int upstreamPort;
  private final Fault fault;
  private final AtomicLong haltId = new AtomicLong(-1);
  private final AtomicLong victimId = new AtomicLong(-1);
  private volatile boolean halted;
  private volatile boolean stalled;
  private volatile long spoiledAtNanos;
  private volatile long hostileBytes;

  HostileDelveProxy(int upstreamPort, Fault fault) throws IOException {
    this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    this.upstreamPort = upstreamPort;
    this.fault = fault;
    Thread acceptor = new Thread(this::accept, "hostile-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** When the spoiled answer went out (System.nanoTime), 0 if not yet. */
  long spoiledAtNanos() {
    return spoiledAtNanos;
  }

  /** Bytes of the spoiled answer the sidecar took before it closed the connection. */
  long hostileBytes() {
    return hostileBytes;
  }

  private void accept() {
    try {
      while (true) {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        start(() -> requests(client, upstream), "proxy-requests");
        start(() -> answers(upstream, client), "proxy-answers");
      }
    } catch (IOException e) {
      // closed
    }
  }

  private static void start(Runnable pump, String name) {
    Thread thread = new Thread(pump, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Sidecar to dlv: passed through, noting the halt and the first request after its answer. */
  private void requests(Socket client, Socket upstream) {
    try (BufferedReader in = reader(client); OutputStream out = upstream.getOutputStream()) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode request = JSON.readTree(line);
        long id = request.path("id").asLong();
        if (request.path("params").path(0).path("name").asText().equals("halt")) {
          haltId.set(id);
        } else if (halted) {
          victimId.compareAndSet(-1, id);
        }
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      // one side closed
    } finally {
      closeQuietly(upstream);
    }
  }

  /** dlv to sidecar: passed through, but for the answer this proxy spoils. */
  private void answers(Socket upstream, Socket client) {
    try (BufferedReader in = reader(upstream); OutputStream out = client.getOutputStream()) {
      String line;
      while ((line = in.readLine()) != null) {
        long id = JSON.readTree(line).path("id").asLong();
        if (stalled) {
          continue; // every answer after the stalled one is swallowed too; the sidecar's side closes with dlv's
        }
        if (id == victimId.get()) {
          spoiledAtNanos = System.nanoTime();
          if (!spoil(line, id, out)) {
            return;
          }
          continue;
        }
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (id == haltId.get()) {
          halted = true;
        }
      }
    } catch (IOException e) {
      // one side closed
    } finally {
      closeQuietly(client);
    }
  }

  /** Sends the spoiled answer; false when this side of the conversation is over. */
  private boolean spoil(String answer, long id, OutputStream out) throws IOException {
    switch (fault) {
      case MALFORMED_JSON -> send(out, ("{\"id\":" + id + ",\"result\":{\"Goroutines\":[oops\n").getBytes(
          StandardCharsets.UTF_8));
      case WRONG_ID -> {
        ObjectNode wrong = (ObjectNode) JSON.readTree(answer);
        wrong.put("id", WRONG_ID);
        send(out, (JSON.writeValueAsString(wrong) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      case TRUNCATED_THEN_CLOSE -> {
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        send(out, Arrays.copyOf(bytes, bytes.length / 2));
        return false;
      }
      case HUGE_ANSWER -> {
        send(out, ("{\"id\":" + id + ",\"result\":{\"Goroutines\":[").getBytes(StandardCharsets.UTF_8));
        byte[] chunk = "{\"id\":1,\"currentLoc\":{\"file\":\"x.go\",\"line\":1}},".repeat(1_500)
            .getBytes(StandardCharsets.UTF_8);
        while (hostileBytes < HUGE_LIMIT) {
          send(out, chunk);
        }
        return false;
      }
      case STALL -> stalled = true;
      default -> throw new IllegalStateException(fault.name());
    }
    return true;
  }

  private void send(OutputStream out, byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    hostileBytes += bytes.length;
  }

  private static BufferedReader reader(Socket socket) throws IOException {
    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
