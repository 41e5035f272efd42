package dev.gopherscope.sidecar.pprofhttp;

import dev.gopherscope.sidecar.pprof.CappedInputStream;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.PprofFormatException;
import dev.gopherscope.sidecar.pprof.PprofLimits;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches profiles from the app's {@code net/http/pprof} endpoint on the pod's loopback, streaming
 * each response straight into a {@link PprofDecoder}: no response is ever held whole, and the
 * decoder's {@link PprofLimits} bound what any answer can cost (the sidecar lives inside the
 * target pod's memory limit). Every failure becomes a {@link PprofFetchException} whose message
 * says which endpoint and what to do.
 *
 * <p>Plain {@link HttpURLConnection}, not {@code java.net.http}: its per-read timeout is exactly
 * the bound a profile download needs (Go answers a CPU profile only when it is done), and it
 * starts no selector thread in a process that must start fast.
 */
public final class PprofHttpClient {

  /** The sidecar's own bound: a pod whose goroutine profile needs more is refused, not followed into OOM. */
  public static final long MAX_PROFILE_BYTES = 64L * 1024 * 1024;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  /** Beyond a CPU profile's own duration: Go writes it out after the profiling stops. */
  static final Duration CPU_MARGIN = Duration.ofSeconds(15);
  private static final int MAX_ERROR_BODY = 4096;
  /** What net/http/pprof answers, with a 404, for a profile the program does not have. */
  private static final String UNKNOWN_PROFILE = "Unknown profile";
  /** A row of the index page: {@code <tr><td>8</td><td><a href='goroutine?debug=1'>goroutine</a></td></tr>}. */
  private static final Pattern INDEX_ROW = Pattern.compile("<td>(\\d{1,18})</td><td><a href='[^']*'>([a-z0-9_]+)</a>");
  private static final int MAX_INDEX_BYTES = 256 * 1024;
  private static final Pattern CYCLES_PER_SECOND = Pattern.compile("(?m)^cycles/second=(\\d+)$");

  private final String host;
  private final int port;
  private final String path;
  private final PprofDecoder decoder;

  /**
   * @param path where the app mounts net/http/pprof, e.g. {@code /debug/pprof}
   */
  public PprofHttpClient(String host, int port, String path, PprofLimits limits) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the pprof port must be 1..65535, got " + port);
    }
    this.host = host;
    this.port = port;
    this.path = "/" + path.replaceAll("^/+|/+$", "");
    this.decoder = new PprofDecoder(limits);
  }

  /** The app's endpoint on this pod's loopback, with the sidecar's default limits. */
  public static PprofHttpClient onLoopback(int port, String path) {
    return new PprofHttpClient("127.0.0.1", port, path,
        PprofLimits.defaults().withMaxDecompressedBytes(MAX_PROFILE_BYTES));
  }

  /** {@code host:port}, for messages. */
  public String endpoint() {
    return host + ":" + port;
  }

  /** Every goroutine with its stack and pprof labels, without halting the app ({@code goroutine?debug=0}). */
  public PprofProfile goroutines() {
    return fetch("goroutine?debug=0", READ_TIMEOUT);
  }

  /**
   * A CPU profile over {@code duration}, rounded up to whole seconds (the endpoint takes nothing
   * finer); the call returns when the app has finished profiling.
   */
  public PprofProfile cpu(Duration duration) {
    long seconds = cpuSeconds(duration);
    return fetch("profile?seconds=" + seconds, Duration.ofSeconds(seconds).plus(CPU_MARGIN));
  }

  public PprofProfile heap() {
    return fetch("heap", READ_TIMEOUT);
  }

  public PprofProfile allocs() {
    return fetch("allocs", READ_TIMEOUT);
  }

  /**
   * The goroutines the garbage collector proved leaked ({@code goroutineleak}, which an app built
   * with Go 1.26's {@code GOEXPERIMENT=goroutineleakprofile} serves), with their pprof labels.
   * Serving it runs a garbage collection with leak detection first.
   *
   * @throws ProfileNotServedException if the app has no such profile (built without the experiment)
   */
  public PprofProfile goroutineLeaks() {
    return fetch("goroutineleak", READ_TIMEOUT);
  }

  public PprofProfile block() {
    return fetch("block", READ_TIMEOUT);
  }

  public PprofProfile mutex() {
    return fetch("mutex", READ_TIMEOUT);
  }

  /**
   * A Go execution trace over {@code duration} (whole seconds, at least one), streamed into {@code
   * out} as it arrives: the app writes it while it traces, so nothing of it is ever held here.
   *
   * @return the bytes written
   * @throws PprofFetchException also when the trace exceeds {@code maxBytes}
   */
  public long trace(Duration duration, OutputStream out, long maxBytes) {
    long seconds = cpuSeconds(duration);
    return fetch("trace?seconds=" + seconds, Duration.ofSeconds(seconds).plus(CPU_MARGIN), body -> {
      long copied = 0;
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = body.read(buffer)) > 0; ) {
        if (copied + n > maxBytes) {
          throw new PprofFetchException("the execution trace grew past " + maxBytes / (1024 * 1024)
              + " MiB in " + seconds + " s and was cut there: trace for a shorter duration");
        }
        out.write(buffer, 0, n);
        copied += n;
      }
      return copied;
    });
  }

  /**
   * Every goroutine with its id, state and stack as Go prints them ({@code goroutine?debug=2}, text),
   * read line by line through {@code reader}: the ids, which the protobuf goroutine profile lacks.
   */
  public <T> T goroutineDump(TextReader<T> reader) {
    return fetch("goroutine?debug=2", READ_TIMEOUT, body -> reader.read(text(body)));
  }

  /**
   * The count net/http/pprof's index page shows beside each profile ({@code goroutine} is
   * {@code runtime.NumGoroutine()}): the cheapest read the endpoint offers, no stop-the-world and
   * no stacks.
   *
   * @throws PprofFetchException if the page lists no counts (not net/http/pprof's index)
   */
  public Map<String, Long> profileCounts() {
    return fetch("", READ_TIMEOUT, body -> {
      String page = new String(new CappedInputStream(body, MAX_INDEX_BYTES, "the pprof index page is larger than "
          + MAX_INDEX_BYTES / 1024 + " KiB").readAllBytes(), StandardCharsets.UTF_8);
      Map<String, Long> counts = new LinkedHashMap<>();
      Matcher row = INDEX_ROW.matcher(page);
      while (row.find()) {
        counts.put(row.group(2), Long.parseLong(row.group(1)));
      }
      if (counts.isEmpty()) {
        throw new PprofFetchException(endpoint() + path + "/ is not net/http/pprof's index page (no profile counts)");
      }
      return counts;
    });
  }

  /**
   * The heap profile as text ({@code heap?debug=1}), read line by line through {@code reader}: it
   * ends with the {@code runtime.MemStats} the runtime read for it.
   */
  public <T> T heapText(TextReader<T> reader) {
    return fetch("heap?debug=1", READ_TIMEOUT, body -> reader.read(text(body)));
  }

  /** Reads a text answer. */
  @FunctionalInterface
  public interface TextReader<T> {
    T read(BufferedReader lines) throws IOException;
  }

  /** Reads an answer's body. */
  @FunctionalInterface
  private interface BodyReader<T> {
    T read(InputStream body) throws IOException;
  }

  /** Text answers are capped like profiles: a 50,000-goroutine dump is tens of MB, and it is streamed. */
  private static BufferedReader text(InputStream body) {
    return new BufferedReader(new InputStreamReader(new CappedInputStream(body, MAX_PROFILE_BYTES,
        "the answer is larger than " + MAX_PROFILE_BYTES / (1024 * 1024) + " MiB, the sidecar's bound"),
        StandardCharsets.UTF_8));
  }

  /**
   * What the block ({@code block}) or mutex ({@code mutex}) profile gained over {@code window},
   * rounded up to whole seconds: net/http/pprof's delta profile ({@code ?seconds=N}).
   */
  public PprofProfile delta(String profile, Duration window) {
    long seconds = cpuSeconds(window);
    return fetch(profile + "?seconds=" + seconds, Duration.ofSeconds(seconds).plus(CPU_MARGIN));
  }

  /**
   * The runtime's CPU ticks per second, which the block profile rate is kept in, as the text form
   * of the block profile states it ({@code cycles/second=N} in its header).
   */
  public long cyclesPerSecond() {
    String target = path + "/block?debug=1";
    URI uri = URI.create("http://" + endpoint() + target);
    try {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
      try {
        if (connection.getResponseCode() != HttpURLConnection.HTTP_OK) {
          throw new PprofFetchException(refusal(target, connection.getResponseCode(), errorText(connection)));
        }
        try (InputStream body = connection.getInputStream()) {
          String head = new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
          Matcher cycles = CYCLES_PER_SECOND.matcher(head);
          if (!cycles.find()) {
            throw new PprofFetchException(endpoint() + target + " did not state cycles/second in its first "
                + MAX_ERROR_BODY + " bytes");
          }
          return Long.parseLong(cycles.group(1));
        }
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      throw new PprofFetchException("cannot fetch " + uri + ": " + e, e);
    }
  }

  /** The whole seconds a CPU profile of {@code duration} asks the app for: at least one. */
  public static long cpuSeconds(Duration duration) {
    return Math.max(1, (duration.toMillis() + 999) / 1000);
  }

  private PprofProfile fetch(String profile, Duration readTimeout) {
    return fetch(profile, readTimeout, decoder::decode);
  }

  private <T> T fetch(String profile, Duration readTimeout, BodyReader<T> reader) {
    String target = path + "/" + profile;
    URI uri = URI.create("http://" + endpoint() + target);
    HttpURLConnection connection;
    try {
      // Never through a proxy from the environment: the app is on this pod's loopback.
      connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    } catch (IOException e) {
      throw new PprofFetchException("cannot open " + uri + ": " + e.getMessage(), e);
    }
    connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
    connection.setReadTimeout((int) readTimeout.toMillis());
    connection.setRequestProperty("Accept", "application/octet-stream");
    try {
      int status = connection.getResponseCode();
      if (status != HttpURLConnection.HTTP_OK) {
        String said = errorText(connection);
        if (status == HttpURLConnection.HTTP_NOT_FOUND && said.contains(UNKNOWN_PROFILE)) {
          throw new ProfileNotServedException(endpoint() + " serves net/http/pprof under " + path + " but has no "
              + profile.replaceAll("\\?.*", "") + " profile (it answered 404" + said + ")");
        }
        throw new PprofFetchException(refusal(target, status, said));
      }
      try (InputStream body = connection.getInputStream()) {
        return reader.read(body);
      }
    } catch (ConnectException e) {
      throw new PprofFetchException("the app does not serve pprof on " + endpoint() + " (connection refused): "
          + "is spec.pprof.port the port of its net/http/pprof listener?", e);
    } catch (SocketTimeoutException e) {
      throw new PprofFetchException(endpoint() + " did not answer " + target + " within "
          + readTimeout.toSeconds() + " s", e);
    } catch (PprofFormatException e) {
      throw new PprofFetchException(endpoint() + target + " did not return a pprof profile"
          + contentType(connection) + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new PprofFetchException("cannot fetch " + uri + ": " + e, e);
    } finally {
      connection.disconnect();
    }
  }

  private String refusal(String target, int status, String said) {
    if (status == HttpURLConnection.HTTP_NOT_FOUND) {
      return endpoint() + " answered 404 for " + target + ": the app serves HTTP there but not net/http/pprof under "
          + path + " (is spec.pprof.path right?)";
    }
    return endpoint() + " answered " + status + " for " + target + said;
  }

  /** The first line of Go's error answer (e.g. "profile duration exceeds server's WriteTimeout"). */
  private static String errorText(HttpURLConnection connection) {
    try (InputStream error = connection.getErrorStream()) {
      if (error == null) {
        return "";
      }
      String text = new String(error.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
      int newline = text.indexOf('\n');
      String line = newline < 0 ? text : text.substring(0, newline);
      return line.isEmpty() ? "" : ": " + (line.length() > 200 ? line.substring(0, 200) + "…" : line);
    } catch (IOException e) {
      return "";
    }
  }

  private static String contentType(HttpURLConnection connection) {
    String type = connection.getContentType();
    return type == null || type.startsWith("application/octet-stream") ? "" : " (it sent " + type + ")";
  }
}
