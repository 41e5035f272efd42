package dev.gopherscope.plugin;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** Workload objects for the ITs: only their selectors matter (no controller turns them into pods here). */
final class Workloads {

  private Workloads() {
  }

  static Deployment deployment(String namespace, String name, String app) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", app).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", app).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example.invalid/" + app + ":1").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }
}
