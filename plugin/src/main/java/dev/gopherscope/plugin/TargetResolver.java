package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.TargetSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns what the user typed ({@code pod/NAME}, a workload, or {@code -l}) into the session's
 * target: a pod name, or the selector of a workload's pods as the API server has it.
 */
final class TargetResolver {

  private final Supplier<KubernetesClient> client;
  private final String namespace;

  TargetResolver(Supplier<KubernetesClient> client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * @param checkPods whether to ask the API server that the pod exists or the selector matches a
   *     pod (a dry run of {@code pod/NAME} or {@code -l} needs no cluster)
   */
  TargetSpec resolve(String target, String selector, boolean checkPods) {
    if ((target == null) == (selector == null)) {
      throw new UserError("name one target: pod/NAME, deploy/NAME, sts/NAME, ds/NAME, rs/NAME, or -l SELECTOR");
    }
    TargetSpec spec = new TargetSpec();
    if (selector != null) {
      spec.setSelector(SelectorParser.parse(selector));
      if (checkPods) {
        requireMatchingPods(spec.getSelector(), "-l " + selector);
      }
      return spec;
    }
    int slash = target.indexOf('/');
    String kind = slash < 0 ? "pod" : target.substring(0, slash).toLowerCase(Locale.ROOT);
    String name = target.substring(slash + 1);
    switch (kind) {
      case "pod", "pods", "po" -> {
        if (checkPods && client.get().pods().inNamespace(namespace).withName(name).get() == null) {
          throw new UserError("no pod " + name + " in namespace " + namespace);
        }
        spec.setPodName(name);
      }
      case "deploy", "deployment", "deployments" -> spec.setSelector(selectorOf("deployment", name,
          () -> client.get().apps().deployments().inNamespace(namespace).withName(name).get(),
          (Deployment d) -> d.getSpec().getSelector()));
      case "sts", "statefulset", "statefulsets" -> spec.setSelector(selectorOf("statefulset", name,
          () -> client.get().apps().statefulSets().inNamespace(namespace).withName(name).get(),
          (StatefulSet s) -> s.getSpec().getSelector()));
      case "ds", "daemonset", "daemonsets" -> spec.setSelector(selectorOf("daemonset", name,
          () -> client.get().apps().daemonSets().inNamespace(namespace).withName(name).get(),
          (DaemonSet d) -> d.getSpec().getSelector()));
      case "rs", "replicaset", "replicasets" -> spec.setSelector(selectorOf("replicaset", name,
          () -> client.get().apps().replicaSets().inNamespace(namespace).withName(name).get(),
          (ReplicaSet r) -> r.getSpec().getSelector()));
      default -> throw new UserError("cannot debug a " + kind + ": name pod/NAME, deploy/NAME, sts/NAME, ds/NAME, "
          + "rs/NAME, or use -l SELECTOR");
    }
    if (spec.getSelector() != null && checkPods) {
      requireMatchingPods(spec.getSelector(), kind + "/" + name);
    }
    return spec;
  }

  private <W extends HasMetadata> LabelSelector selectorOf(String kind, String name, Supplier<W> read,
      Function<W, LabelSelector> selector) {
    W workload = read.get();
    if (workload == null) {
      throw new UserError("no " + kind + " " + name + " in namespace " + namespace);
    }
    LabelSelector found = selector.apply(workload);
    // The CRD refuses an empty selector (it would match every pod); say so before the API server does.
    if (found == null || (isEmpty(found.getMatchLabels()) && isEmpty(found.getMatchExpressions()))) {
      throw new UserError(kind + " " + name + " has an empty pod selector; name the pod instead (pod/NAME)");
    }
    return new LabelSelector(found.getMatchExpressions(), found.getMatchLabels());
  }

  private void requireMatchingPods(LabelSelector selector, String what) {
    var pods = client.get().pods().inNamespace(namespace).withLabelSelector(selector).list().getItems();
    if (pods.isEmpty()) {
      throw new UserError("no pod in namespace " + namespace + " matches " + what);
    }
    if (pods.stream().noneMatch(TargetResolver::running)) {
      throw new UserError(pods.size() + " pod(s) in namespace " + namespace + " match " + what + ", none of them Running");
    }
  }

  private static boolean running(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  private static boolean isEmpty(java.util.Collection<?> c) {
    return c == null || c.isEmpty();
  }

  private static boolean isEmpty(java.util.Map<?, ?> m) {
    return m == null || m.isEmpty();
  }
}
