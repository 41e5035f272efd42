package dev.gopherscope.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.S3Server;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sidecar's token expires on its own when nobody revokes it: the operator is stopped after
 * injection, so the Secret the token is bound to stays, and the real API server must refuse the
 * token once its lifetime (at least 10 minutes, the API server's minimum) is over. Takes about
 * 11 minutes: runs under {@code make it-faults}.
 */
@ExtendWith(RealComponentsExtension.class)
class TokenExpiryFaultIT {

  @Test
  void theTokenExpiresWithoutTheOperator(KubernetesApiServer server, KubernetesClient client, S3Server s3)
      throws Exception {
    try (OperatorHarness harness = new OperatorHarness(server, client, s3, Map.of())) {
      String ns = harness.namespace("token-expiry");
      harness.kubelet.runPod(KubeletStandIn.pod(ns, "checkout-0", "app", Map.of("app", "checkout")));
      DebugSession session = harness.apply(ns, """
          apiVersion: gopherscope.dev/v1alpha1
          kind: DebugSession
          metadata: {name: slow-expiry}
          spec:
            target: {podName: checkout-0, container: app}
            pprof: {port: 6060}
            captures: [{kind: Goroutines}]
            timeout: 30s
          """);
      harness.await(ns, "slow-expiry", s -> s.getStatus() != null && s.getStatus().getTargets() != null
          && s.getStatus().getTargets().stream().anyMatch(t -> t.getInjectionTime() != null), Duration.ofSeconds(60));
      // The operator goes away before the session ends: nobody will delete the token's Secret.
      harness.stop();
      String container = SessionNames.debuggerContainer(session);
      String token = awaitToken(harness, ns, container);

      JsonNode claims = ContractJson.mapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
      Instant issued = Instant.ofEpochSecond(claims.get("iat").asLong());
      Instant expires = Instant.ofEpochSecond(claims.get("exp").asLong());
      // timeout 30 s + report deadline 6 s + 1 min is below the API server's minimum of 10 min.
      assertThat(Duration.between(issued, expires)).isEqualTo(Duration.ofMinutes(10));
      assertThat(claims.at("/kubernetes.io/secret/name").asText()).isEqualTo(SessionNames.targetSecret(session, "checkout-0"));
      assertThat(harness.patchStatusWithToken(token, ns, "slow-expiry", "checkout-0").statusCode())
          .as("the token works before it expires").isEqualTo(200);

      System.out.printf("[fault] token issued %s, expires %s; waiting for the API server to refuse it%n", issued, expires);
      Instant refused = null;
      Instant giveUp = expires.plus(Duration.ofMinutes(3));
      while (refused == null && Instant.now().isBefore(giveUp)) {
        Thread.sleep(expires.isAfter(Instant.now().plusSeconds(20)) ? 15_000 : 2_000);
        int answer = harness.patchStatusWithToken(token, ns, "slow-expiry", "checkout-0").statusCode();
        if (answer == 401) {
          refused = Instant.now();
        } else {
          assertThat(answer).as("answer at %s", Instant.now()).isEqualTo(200);
        }
      }
      assertThat(refused).as("the API server refused the token by %s", giveUp).isNotNull();
      assertThat(refused).as("not refused before it expired").isAfterOrEqualTo(expires.minusSeconds(1));
      System.out.printf("[fault] token refused (401) %d s after its exp claim, %d s after it was issued%n",
          Duration.between(expires, refused).toSeconds(), Duration.between(issued, refused).toSeconds());
      harness.start();
    }
  }

  private static String awaitToken(OperatorHarness harness, String ns, String container) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String token = harness.kubelet.environmentOf(ns, "checkout-0", container).get(SidecarEnvironment.TOKEN);
      if (token != null) {
        return token;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the debugger container never started, so no token was handed out");
  }
}
