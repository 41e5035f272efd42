package dev.gopherscope.sidecar.pprofhttp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback HTTP server that answers pprof paths with recorded profiles (the fixtures under
 * {@code src/test/resources/pprof/}) or with chosen failures, for unit tests of the HTTP client and
 * the captures. The ITs talk to the real demo service instead.
 */
public final class FixturePprofServer implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  private record Answer(int status, String contentType, byte[] body) {
  }

  public FixturePprofServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      Answer answer = answers.getOrDefault(path, new Answer(404, "text/plain", "404 page not found\n".getBytes()));
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      exchange.sendResponseHeaders(answer.status(), answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    });
    server.start();
  }

  /** Serves the fixture {@code resource} (e.g. {@code goroutine-traced.pb.gz}) at {@code path}. */
  public FixturePprofServer serveFixture(String path, String resource) {
    try (InputStream in = FixturePprofServer.class.getResourceAsStream("/pprof/" + resource)) {
      answers.put(path, new Answer(200, "application/octet-stream", in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public FixturePprofServer answer(String path, int status, String contentType, String body) {
    answers.put(path, new Answer(status, contentType, body.getBytes()));
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
