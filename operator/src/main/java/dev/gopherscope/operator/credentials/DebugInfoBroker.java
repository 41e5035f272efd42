package dev.gopherscope.operator.credentials;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.contract.PublishedDebugInfo;
import dev.gopherscope.operator.SessionNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a sidecar that needs debug info for a stripped target. Which binary a pod runs is known
 * only inside the pod, so the operator cannot presign the download before injecting: the sidecar
 * names the build ID in its report, and the operator answers in the session's debug-info Secret,
 * which the session's token may read, with a presigned GET URL of {@code debuginfo/<build-id>/debuginfo}
 * or, when nothing is published there, {@link PublishedDebugInfo#ABSENT} and the object's URI, so
 * the sidecar fails at once with a message that says where to publish. No signed URL enters the
 * session's status, and the Secret goes with the session's other Secrets when it ends.
 */
public final class DebugInfoBroker {

  /** Long enough to download even a large debug file on a slow link; the Secret usually goes first. */
  static final Duration URL_LIFETIME = Duration.ofMinutes(15);
  private static final Logger LOG = LoggerFactory.getLogger(DebugInfoBroker.class);

  private final KubernetesClient client;
  private final ObjectStore store;

  public DebugInfoBroker(KubernetesClient client, ObjectStore store) {
    this.client = client;
    this.store = store;
  }

  /** Where debug info is published, as sidecars are told it: {@code s3://bucket/debuginfo/}. */
  public String location() {
    return ObjectStore.uri(store.defaultBucket(), PublishedDebugInfo.PREFIX);
  }

  /** Answers the request for {@code buildId} unless it was answered before. */
  public void answer(DebugSession session, String buildId) {
    Optional<String> valid = PublishedDebugInfo.validBuildId(buildId);
    String namespace = session.getMetadata().getNamespace();
    if (valid.isEmpty()) {
      // Written from inside the target's pod: never let it shape an object key. The sidecar's
      // wait for an answer ends with a message of its own.
      LOG.warn("session {}/{}: ignoring a request for debug info with a malformed build ID", namespace,
          session.getMetadata().getName());
      return;
    }
    String name = SessionNames.debugInfoSecret(session);
    String secretKey = PublishedDebugInfo.secretKey(valid.get());
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    if (existing != null && existing.getData() != null && existing.getData().containsKey(secretKey)) {
      return;
    }
    String bucket = store.defaultBucket();
    String objectKey = PublishedDebugInfo.objectKey(valid.get());
    String answer = store.size(bucket, objectKey)
        .map(size -> store.presignGet(bucket, objectKey, URL_LIFETIME).toString())
        .orElse(PublishedDebugInfo.ABSENT + ObjectStore.uri(bucket, objectKey));
    String encoded = Base64.getEncoder().encodeToString(answer.getBytes(StandardCharsets.UTF_8));
    // Create or update (the operator may not patch Secrets); a conflict fails this reconcile, and
    // the next one, which the sidecar's request still asks for, answers again.
    if (existing == null) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder()
          .withMetadata(SessionCredentials.owned(session, name)).withType("Opaque")
          .withData(Map.of(secretKey, encoded)).build()).create();
    } else {
      Map<String, String> data = new HashMap<>(existing.getData() == null ? Map.of() : existing.getData());
      data.put(secretKey, encoded);
      client.secrets().inNamespace(namespace).resource(new SecretBuilder(existing).withData(data).build()).update();
    }
    LOG.info("session {}/{}: debug info for build ID {}: {}", namespace, session.getMetadata().getName(), buildId,
        answer.startsWith(PublishedDebugInfo.ABSENT) ? "none published at " + ObjectStore.uri(bucket, objectKey)
            : "presigned " + ObjectStore.uri(bucket, objectKey));
  }
}
