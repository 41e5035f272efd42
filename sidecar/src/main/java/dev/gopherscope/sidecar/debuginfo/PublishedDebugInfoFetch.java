package dev.gopherscope.sidecar.debuginfo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.PublishedDebugInfo;
import dev.gopherscope.contract.SidecarPlan.DebugInfoLookup;
import dev.gopherscope.sidecar.debuginfo.DebugInfoException.Reason;
import dev.gopherscope.sidecar.output.KubernetesTls;
import dev.gopherscope.sidecar.process.BuildId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Debug info published to the object store (docs/debug-info.md), fetched in a pod: the sidecar
 * names the build ID it needs in its status report ({@code ask}), waits for the operator's answer
 * in the session's debug-info Secret (which its token may read), and downloads the presigned URL
 * it finds there. No object-store credential reaches the pod, only a URL for one object.
 */
public final class PublishedDebugInfoFetch implements DebugInfoSource {

  /** The operator answers within a reconcile of the report; this covers a busy or restarting one. */
  static final Duration ANSWER_WAIT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(250);
  /** Larger than the DWARF of any binary seen (kube-apiserver's unstripped binary is ~150 MB). */
  static final long MAX_BYTES = 2L << 30;

  /** Trusts the API server's CA alone: for the Secret. */
  private final HttpClient apiServer;
  private final URI secretUri;
  private final String token;
  private final DebugInfoLookup plan;
  private final Consumer<String> ask;
  private final Duration answerWait;

  /**
   * @param ask tells the operator, through the status, which build ID is wanted
   */
  public PublishedDebugInfoFetch(URI apiServer, String caPem, String token, String namespace, DebugInfoLookup plan,
      Consumer<String> ask, Duration answerWait) {
    this.apiServer = KubernetesTls.apiServerClient(caPem);
    this.secretUri = URI.create(apiServer.toString().replaceAll("/+$", "") + "/api/v1/namespaces/" + namespace
        + "/secrets/" + plan.secret());
    this.token = token;
    this.plan = plan;
    this.ask = ask;
    this.answerWait = answerWait;
  }

  public PublishedDebugInfoFetch(URI apiServer, String caPem, String token, String namespace, DebugInfoLookup plan,
      Consumer<String> ask) {
    this(apiServer, caPem, token, namespace, plan, ask, ANSWER_WAIT);
  }

  @Override
  public Fetched fetch(BuildId id, Path dir, Consumer<String> progress) {
    String where = plan.location() + id.value() + "/debuginfo";
    progress.accept("the target is stripped; asking the operator for the debug info of its " + id + " (" + where + ")");
    ask.accept(id.value());
    String answer = awaitAnswer(PublishedDebugInfo.secretKey(id.value()));
    if (answer.startsWith(PublishedDebugInfo.ABSENT)) {
      throw new DebugInfoException(Reason.DebugInfoNotPublished, "the target is stripped (no DWARF) and no debug "
          + "info is published for its " + id + ": put the unstripped binary, or objcopy --only-keep-debug's output, at "
          + answer.substring(PublishedDebugInfo.ABSENT.length()) + " (docs/debug-info.md); pprof captures still work");
    }
    return new Fetched(download(URI.create(answer), dir.resolve("debuginfo"), where, progress), where);
  }

  private String awaitAnswer(String key) {
    long deadline = System.nanoTime() + answerWait.toNanos();
    String lastProblem = "the Secret " + plan.secret() + " does not exist yet";
    while (true) {
      try {
        HttpResponse<String> response = apiServer.send(HttpRequest.newBuilder(secretUri).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          Optional<String> answer = answerIn(response.body(), key);
          if (answer.isPresent()) {
            return answer.get();
          }
          lastProblem = "the Secret " + plan.secret() + " holds no answer for this build ID yet";
        } else if (response.statusCode() == 401 || response.statusCode() == 403) {
          throw new DebugInfoException(Reason.DebugInfoUnavailable, "the session's token may not read the Secret "
              + plan.secret() + " where the operator answers requests for debug info (HTTP " + response.statusCode()
              + "); the session may have ended");
        } else if (response.statusCode() != 404) {
          lastProblem = "reading the Secret " + plan.secret() + " gave HTTP " + response.statusCode();
        }
      } catch (IOException e) {
        lastProblem = "the API server is unreachable: " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DebugInfoException(Reason.DebugInfoUnavailable, "interrupted while waiting for the operator");
      }
      if (System.nanoTime() >= deadline) {
        throw new DebugInfoException(Reason.DebugInfoUnavailable, "the operator did not say within "
            + answerWait.toSeconds() + " s where this target's debug info is (" + lastProblem + ")");
      }
      sleep(POLL);
    }
  }

  private static Optional<String> answerIn(String secretJson, String key) throws IOException {
    JsonNode value = ContractJson.mapper().readTree(secretJson).path("data").path(key);
    return value.isTextual() ? Optional.of(new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8))
        : Optional.empty();
  }

  private Path download(URI url, Path file, String where, Consumer<String> progress) {
    long started = System.nanoTime();
    // Built here, not with the fetch: most sidecars never download, and this client loads the JVM's
    // trusted CAs (the presigned URL points at the object store, which the Kubernetes CA did not sign).
    HttpClient objectStore = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    try {
      HttpResponse<InputStream> response = objectStore.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10))
          .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new DebugInfoException(Reason.DebugInfoUnavailable, "downloading " + where + " gave HTTP "
              + response.statusCode() + ": " + new String(in.readNBytes(300), StandardCharsets.UTF_8).strip());
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length > MAX_BYTES) {
          throw new DebugInfoException(Reason.DebugInfoUnavailable, where + " is " + length + " bytes, more than the "
              + MAX_BYTES + " the sidecar downloads");
        }
        long copied = copy(in, file, where);
        progress.accept(String.format(Locale.ROOT, "downloaded %s (%.1f MiB) in %.1f s", where,
            copied / (1024.0 * 1024.0), (System.nanoTime() - started) / 1e9));
        return file;
      }
    } catch (IOException e) {
      throw new DebugInfoException(Reason.DebugInfoUnavailable, "cannot download " + where + " into " + file + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DebugInfoException(Reason.DebugInfoUnavailable, "interrupted while downloading " + where);
    }
  }

  private static long copy(InputStream in, Path file, String where) throws IOException {
    Files.createDirectories(file.getParent());
    long copied = 0;
    byte[] buffer = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        copied += n;
        if (copied > MAX_BYTES) {
          throw new DebugInfoException(Reason.DebugInfoUnavailable, where + " is more than the " + MAX_BYTES
              + " bytes the sidecar downloads");
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return copied;
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DebugInfoException(Reason.DebugInfoUnavailable, "interrupted while waiting for the operator");
    }
  }
}
