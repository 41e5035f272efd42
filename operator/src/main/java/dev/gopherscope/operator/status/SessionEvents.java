package dev.gopherscope.operator.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on sessions and target pods, one per transition, as {@code kubectl describe} shows them. */
public final class SessionEvents {

  private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);

  private final KubernetesClient client;

  public SessionEvents(KubernetesClient client) {
    this.client = client;
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    String now = Instant.now().toString();
    try {
      client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata()
          .withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
          .withNamespace(object.getMetadata().getNamespace()).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(object.getApiVersion())
              .withKind(object.getKind()).withName(object.getMetadata().getName())
              .withNamespace(object.getMetadata().getNamespace()).withUid(object.getMetadata().getUid()).build())
          .withType(type).withReason(reason)
          .withMessage(message == null ? "" : message.length() > 1024 ? message.substring(0, 1024) : message)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent("gopherscope-operator").endSource()
          .build()).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: failing to record one must not fail the reconcile.
      LOG.warn("cannot record event {} on {}/{}: {} ({})", reason, object.getKind(), object.getMetadata().getName(),
          e.getMessage(), e.getCause() == null ? "no cause" : e.getCause().toString());
    }
  }
}
