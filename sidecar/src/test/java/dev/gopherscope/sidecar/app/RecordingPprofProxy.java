package dev.gopherscope.sidecar.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands between the sidecar and the real app's pprof port, passing every request through and
 * keeping a copy of each answer: the exact unfiltered profiles the sidecar read, so a test can
 * hold the sidecar's filtered artifacts against {@code go tool pprof -tagfocus} on the same input.
 */
final class RecordingPprofProxy implements AutoCloseable {

  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, List<byte[]>> answers = new ConcurrentHashMap<>();

  RecordingPprofProxy(URI upstream) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      try {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI()))
            .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray());
        answers.computeIfAbsent(exchange.getRequestURI().getPath(), k -> new ArrayList<>()).add(response.body());
        response.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
        exchange.sendResponseHeaders(response.statusCode(), response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** What the app answered to each request for {@code path}, in order. */
  List<byte[]> answers(String path) {
    return answers.getOrDefault(path, List.of());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
