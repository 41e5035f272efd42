package dev.gopherscope.sidecar.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.contract.SidecarPlan.SessionRef;
import dev.gopherscope.contract.TargetReport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes this sidecar's own entry of the session status ({@code status.targets[pod].report}) by
 * server-side apply under a field manager of its own, with the pod-bound token the operator
 * minted. Plain JDK HTTP: the sidecar carries no Kubernetes client library.
 */
public final class StatusReporter {

  private static final int ATTEMPTS = 5;
  private static final long MAX_PAUSE_MS = 5_000;
  /**
   * How long a 401 is taken for the API server not knowing the token yet rather than for a revoked
   * one: the token is bound to a Secret the operator created a moment before the container started,
   * and the API server checks the binding against its cache of Secrets, which can lag (seen as a
   * 401 on a sidecar's first report on a loaded machine; in OperatorFaultIT on a machine loaded
   * further, still after 30 s). Later, a 401 means revoked and is final.
   */
  static final Duration FRESH_TOKEN_GRACE = Duration.ofSeconds(60);
  /** How long the final report retries a 403, for an API server whose RBAC caches are still syncing. */
  static final Duration FORBIDDEN_PATIENCE = Duration.ofSeconds(15);

  private final HttpClient http;
  private final long firstPauseMs;
  private final URI statusUri;
  private final String token;
  private final SessionRef session;
  private final String pod;
  private final Instant freshUntil;

  public StatusReporter(URI apiServer, String caPem, String token, SessionRef session, String pod) {
    this(apiServer, caPem, token, session, pod, 200, FRESH_TOKEN_GRACE);
  }

  /**
   * {@code firstPauseMs}: the first pause between attempts, doubling up to 5 s; {@code freshTokenGrace}:
   * see {@link #FRESH_TOKEN_GRACE} (tests shorten both).
   */
  StatusReporter(URI apiServer, String caPem, String token, SessionRef session, String pod, long firstPauseMs,
      Duration freshTokenGrace) {
    this.firstPauseMs = firstPauseMs;
    this.freshUntil = Instant.now().plus(freshTokenGrace);
    this.http = KubernetesTls.apiServerClient(caPem);
    String base = apiServer.toString().replaceAll("/+$", "");
    this.statusUri = URI.create(base + "/apis/gopherscope.dev/v1alpha1/namespaces/" + session.namespace()
        + "/debugsessions/" + session.name() + "/status?fieldManager="
        + URLEncoder.encode(SidecarEnvironment.fieldManager(pod), StandardCharsets.UTF_8) + "&force=true");
    this.token = token;
    this.session = session;
    this.pod = pod;
  }

  /**
   * Applies a progress report. Retries connection failures and 5xx answers a few times (about
   * 12 s); a 4xx is final and thrown at once. Progress that cannot be told is not worth holding
   * the captures up for.
   */
  public void report(TargetReport report) {
    send(report, Instant.MAX, ATTEMPTS, Duration.ZERO);
  }

  /**
   * Applies the final report, retrying connection failures and 5xx answers until {@code giveUp}:
   * an API server restarting or a control plane briefly unreachable must not lose how the
   * session ended. A 4xx (for example the token revoked because the session already ended) is
   * final and thrown at once, but for a 403 retried for {@link #FORBIDDEN_PATIENCE}: an API server
   * just restarted refuses until its RBAC caches have synced.
   */
  public void reportFinal(TargetReport report, Instant giveUp) {
    send(report, giveUp, Integer.MAX_VALUE, FORBIDDEN_PATIENCE);
  }

  /** @param forbiddenPatience how long 403s are retried after the first (zero: a 403 is final) */
  private void send(TargetReport report, Instant giveUp, int attempts, Duration forbiddenPatience) {
    String body = body(report);
    Instant firstForbidden = null;
    ReportException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(statusUri)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/apply-patch+yaml")
                .header("Accept", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          return;
        }
        last = new ReportException("the API server answered " + response.statusCode() + " to the status report: "
            + abbreviate(response.body()), response.statusCode());
        boolean notKnownYet = response.statusCode() == 401 && Instant.now().isBefore(freshUntil);
        if (response.statusCode() == 403 && firstForbidden == null) {
          firstForbidden = Instant.now();
        }
        // An API server that has just restarted answers 403 until its RBAC caches have synced
        // (seen in OperatorFaultIT): the final report waits that out; a Role revoked stays 403.
        boolean rbacCatchingUp = response.statusCode() == 403
            && Instant.now().isBefore(firstForbidden.plus(forbiddenPatience));
        if (response.statusCode() < 500 && !notKnownYet && !rbacCatchingUp) {
          throw last;
        }
      } catch (IOException e) {
        last = new ReportException("cannot reach the API server to report status: " + e.getMessage(), 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ReportException("interrupted while reporting status", 0);
      }
      Duration pause = Duration.ofMillis(Math.min(MAX_PAUSE_MS, firstPauseMs << Math.min(attempt - 1, 10)));
      if (attempt == attempts || Instant.now().plus(pause).isAfter(giveUp)) {
        break;
      }
      sleep(pause);
    }
    throw last;
  }

  private String body(TargetReport report) {
    Map<String, Object> target = Map.of("pod", pod, "report", report);
    Map<String, Object> apply = Map.of(
        "apiVersion", "gopherscope.dev/v1alpha1",
        "kind", "DebugSession",
        "metadata", Map.of("name", session.name(), "namespace", session.namespace()),
        "status", Map.of("targets", List.of(target)));
    try {
      return ContractJson.mapper().writeValueAsString(apply);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String abbreviate(String body) {
    return body == null || body.length() <= 300 ? body : body.substring(0, 300) + "…";
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The report did not reach the API server; {@code status} is the HTTP status, 0 when none. */
  public static final class ReportException extends RuntimeException {
    private final int status;

    public ReportException(String message, int status) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
