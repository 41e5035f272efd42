package dev.gopherscope.operator.injection;

import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Adds a debugger container to a running pod through the {@code pods/ephemeralcontainers}
 * subresource. Idempotent by name: a pod that already has the container is left alone, so a
 * second reconcile or a restarted operator never injects twice.
 */
public final class EphemeralContainerInjector {

  /** A pod's status changes a few times a second at most: five fresh reads outlast that. */
  static final int CONFLICT_ATTEMPTS = 5;

  private final KubernetesClient client;

  public EphemeralContainerInjector(KubernetesClient client) {
    this.client = client;
  }

  public static boolean hasContainer(Pod pod, String name) {
    return pod.getSpec().getEphemeralContainers() != null
        && pod.getSpec().getEphemeralContainers().stream().anyMatch(c -> name.equals(c.getName()));
  }

  /**
   * Injects {@code container} unless the pod has it; returns true when this call injected it. The
   * edit carries the pod's resourceVersion, so it meets a 409 whenever the kubelet updates the pod's
   * status in between; each retry reads the pod afresh.
   */
  public boolean inject(Pod pod, EphemeralContainer container) {
    if (hasContainer(pod, container.getName())) {
      return false;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .ephemeralContainers()
            .edit(current -> hasContainer(current, container.getName()) ? current
                : new PodBuilder(current).editSpec().addToEphemeralContainers(container).endSpec().build());
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == CONFLICT_ATTEMPTS) {
          throw new InjectionException(explain(e, pod), e);
        }
      }
    }
  }

  private static String explain(KubernetesClientException e, Pod pod) {
    String where = "pod " + pod.getMetadata().getName();
    return switch (e.getCode()) {
      case 403 -> "not allowed to add ephemeral containers to " + where
          + " (the operator needs patch on pods/ephemeralcontainers): " + e.getStatus().getMessage();
      case 404 -> where + " is gone, or this cluster does not serve pods/ephemeralcontainers";
      case 422 -> "the API server refused the debugger container for " + where + ": "
          + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
      default -> "cannot inject the debugger into " + where + ": " + e.getMessage();
    };
  }

  /** Injection failed; the message says why in a person's terms. */
  public static final class InjectionException extends RuntimeException {
    public InjectionException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
