package dev.gopherscope.operator.targets;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * One pod and the container in it whose Go process the session debugs. {@code pod} is null when
 * a target chosen earlier has since been deleted.
 */
public record ResolvedTarget(String podName, Pod pod, String container) {

  public ResolvedTarget(Pod pod, String container) {
    this(pod.getMetadata().getName(), pod, container);
  }
}
