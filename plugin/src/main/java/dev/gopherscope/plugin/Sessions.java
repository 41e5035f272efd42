package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Reading sessions, with the answer a person needs when one is not there. */
final class Sessions {

  static final String NOT_INSTALLED = "gopherscope is not installed in this cluster: the API server has no "
      + "debugsessions.gopherscope.dev resource (install the chart: helm install gopherscope helm/gopherscope "
      + "-n gopherscope-system)";

  private Sessions() {
  }

  static DebugSession require(KubernetesClient client, String namespace, String name) {
    DebugSession session = client.resources(DebugSession.class).inNamespace(namespace).withName(name).get();
    if (session == null) {
      // get() answers null for a missing resource type too: tell the two apart.
      if (!client.supports(DebugSession.class)) {
        throw new UserError(NOT_INSTALLED);
      }
      throw new UserError("no debugsession " + name + " in namespace " + namespace);
    }
    return session;
  }
}
