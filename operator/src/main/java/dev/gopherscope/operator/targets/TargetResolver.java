package dev.gopherscope.operator.targets;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.TargetSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the pods and container a session targets: one pod by name, or the newest {@code maxPods}
 * running pods matching a selector. A pod qualifies only if it runs and has the container
 * running, since there is no Go process to attach to otherwise.
 */
public final class TargetResolver {

  private final KubernetesClient client;
  private final int maxTargets;

  public TargetResolver(KubernetesClient client, int maxTargets) {
    this.client = client;
    this.maxTargets = maxTargets;
  }

  public TargetResolution resolve(DebugSession session) {
    TargetSpec target = session.getSpec().getTarget();
    String namespace = session.getMetadata().getNamespace();
    if (target.getPodName() != null) {
      Pod pod = client.pods().inNamespace(namespace).withName(target.getPodName()).get();
      if (pod == null) {
        return TargetResolution.problem("PodNotFound",
            "pod " + target.getPodName() + " does not exist in namespace " + namespace);
      }
      Optional<String> problem = unfit(pod, target.getContainer());
      if (problem.isPresent()) {
        return TargetResolution.problem(problemReason(pod, target.getContainer()), problem.get());
      }
      return TargetResolution.found(List.of(new ResolvedTarget(pod, containerOf(pod, target.getContainer()))),
          "pod " + pod.getMetadata().getName());
    }
    if (matchesEverything(target.getSelector())) {
      // The CRD refuses it; a session stored before that rule existed must not debug every pod either.
      return TargetResolution.problem("EmptySelector", "the selector names no label and would match every pod in "
          + "namespace " + namespace + ": name at least one label in matchLabels or matchExpressions");
    }
    List<Pod> matching = client.pods().inNamespace(namespace).withLabelSelector(target.getSelector()).list().getItems();
    String selector = describe(target);
    if (matching.isEmpty()) {
      return TargetResolution.problem("NoPodsMatch", "no pod in namespace " + namespace + " matches " + selector);
    }
    int wanted = Math.min(target.getMaxPods() == null ? 1 : target.getMaxPods(), maxTargets);
    List<ResolvedTarget> fit = matching.stream()
        .filter(p -> unfit(p, target.getContainer()).isEmpty())
        .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()).reversed())
        .limit(wanted)
        .map(p -> new ResolvedTarget(p, containerOf(p, target.getContainer())))
        .toList();
    if (fit.isEmpty()) {
      return TargetResolution.problem("NoRunningPodsMatch", matching.size() + " pod(s) match " + selector
          + " but none is running with the container running: "
          + matching.stream().map(p -> p.getMetadata().getName() + " (" + unfit(p, target.getContainer()).orElse("ok") + ")")
              .limit(5).collect(Collectors.joining(", ")));
    }
    return TargetResolution.found(fit, fit.size() + " of " + matching.size() + " matching pod(s): "
        + fit.stream().map(ResolvedTarget::podName).collect(Collectors.joining(", ")));
  }

  static boolean matchesEverything(LabelSelector selector) {
    return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
  }

  /** Why this pod cannot be a target now, if it cannot. */
  static Optional<String> unfit(Pod pod, String wantedContainer) {
    String name = pod.getMetadata().getName();
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return Optional.of("pod " + name + " is being deleted");
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (!"Running".equals(phase)) {
      return Optional.of("pod " + name + " is " + (phase == null ? "not scheduled yet" : phase) + ", not Running");
    }
    String container = containerOf(pod, wantedContainer);
    if (container == null) {
      return Optional.of("pod " + name + " has no container " + wantedContainer + " (it has "
          + pod.getSpec().getContainers().stream().map(Container::getName).collect(Collectors.joining(", ")) + ")");
    }
    boolean running = pod.getStatus().getContainerStatuses().stream()
        .filter(s -> container.equals(s.getName()))
        .map(ContainerStatus::getState)
        .anyMatch(state -> state != null && state.getRunning() != null);
    if (!running) {
      return Optional.of("container " + container + " of pod " + name + " is not running");
    }
    return Optional.empty();
  }

  private static String problemReason(Pod pod, String wantedContainer) {
    if (containerOf(pod, wantedContainer) == null) {
      return "ContainerNotFound";
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Running".equals(phase) && pod.getMetadata().getDeletionTimestamp() == null
        ? "ContainerNotRunning" : "PodNotRunning";
  }

  /** The named container, or the pod's first when none is named; null when it does not exist. */
  static String containerOf(Pod pod, String wanted) {
    List<Container> containers = pod.getSpec().getContainers();
    if (wanted == null) {
      return containers.isEmpty() ? null : containers.get(0).getName();
    }
    return containers.stream().map(Container::getName).filter(wanted::equals).findFirst().orElse(null);
  }

  private static String describe(TargetSpec target) {
    var selector = target.getSelector();
    String labels = selector.getMatchLabels() == null ? "" : selector.getMatchLabels().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    int expressions = selector.getMatchExpressions() == null ? 0 : selector.getMatchExpressions().size();
    return "selector " + (labels.isEmpty() ? "" : labels) + (expressions > 0 ? " (+" + expressions + " expressions)" : "");
  }
}
