package dev.gopherscope.operator.preflight;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The memory a debugger container can use in a pod. An ephemeral container cannot declare
 * resources, yet its memory counts against the pod's cgroup limit: the pod-level limit exists only
 * when every container has a memory limit, and then it is their sum.
 */
public final class PodMemory {

  private final KubernetesClient client;

  public PodMemory(KubernetesClient client) {
    this.client = client;
  }

  /** The pod's memory limit in bytes, or empty when some container has none (no pod-level cap). */
  public static OptionalLong limit(Pod pod) {
    long sum = 0;
    for (Container c : pod.getSpec().getContainers()) {
      Quantity limit = c.getResources() == null || c.getResources().getLimits() == null ? null
          : c.getResources().getLimits().get("memory");
      if (limit == null) {
        return OptionalLong.empty();
      }
      sum += Quantity.getAmountInBytes(limit).longValue();
    }
    return OptionalLong.of(sum);
  }

  /** What the pod uses now: from the metrics API when it is served, else the containers' requests. */
  public Usage usage(Pod pod) {
    Optional<Long> measured = measured(pod);
    if (measured.isPresent()) {
      return new Usage(measured.get(), true);
    }
    long requested = pod.getSpec().getContainers().stream()
        .map(c -> c.getResources() == null || c.getResources().getRequests() == null ? null
            : c.getResources().getRequests().get("memory"))
        .filter(q -> q != null)
        .mapToLong(q -> Quantity.getAmountInBytes(q).longValue())
        .sum();
    return new Usage(requested, false);
  }

  private Optional<Long> measured(Pod pod) {
    try {
      PodMetrics metrics = client.top().pods().metrics(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
      return Optional.of(metrics.getContainers().stream()
          .mapToLong(c -> Quantity.getAmountInBytes(c.getUsage().get("memory")).longValue()).sum());
    } catch (KubernetesClientException e) {
      // No metrics-server (404) or not allowed: fall back to requests and say so.
      return Optional.empty();
    }
  }

  /** Bytes in use; {@code measured} is false when they are the containers' requests instead. */
  public record Usage(long bytes, boolean measured) {
  }
}
