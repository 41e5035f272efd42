package dev.gopherscope.operator.status;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Writes the operator's part of a session status by server-side apply under its own field
 * manager, and only when it changed. Sidecars apply their {@code report} entries under theirs, so
 * neither side overwrites the other and no read-modify-write retry loop is needed.
 */
public final class StatusWriter {

  public static final String FIELD_MANAGER = "gopherscope-operator";

  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Applies {@code status} unless the session already shows it; returns whether it wrote. */
  public boolean apply(DebugSession session, DebugSessionStatus status) {
    if (Serialization.asJson(status).equals(Serialization.asJson(operatorView(session.getStatus())))) {
      return false;
    }
    DebugSession patch = new DebugSession();
    patch.setMetadata(new ObjectMetaBuilder().withName(session.getMetadata().getName())
        .withNamespace(session.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    client.resources(DebugSession.class).inNamespace(session.getMetadata().getNamespace()).resource(patch)
        .subresource("status")
        .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
            .withFieldManager(FIELD_MANAGER).withForce(true).build());
    return true;
  }

  /** The current status without the fields sidecars own, to compare with what we would write. */
  static DebugSessionStatus operatorView(DebugSessionStatus current) {
    if (current == null) {
      return null;
    }
    DebugSessionStatus copy = Serialization.clone(current);
    if (copy.getTargets() != null) {
      for (TargetStatus target : copy.getTargets()) {
        target.setReport(null);
      }
    }
    return copy;
  }
}
