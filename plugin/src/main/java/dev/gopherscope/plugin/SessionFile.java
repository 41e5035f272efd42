package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** A DebugSession from a file, placed in the namespace the command line names (as kubectl create -f does). */
final class SessionFile {

  private SessionFile() {
  }

  static DebugSession read(Path file, ClusterOptions cluster) {
    DebugSession session;
    try {
      String text = Files.readString(file);
      KubernetesSerialization serialization = new KubernetesSerialization();
      GenericKubernetesResource generic = serialization.unmarshal(text, GenericKubernetesResource.class);
      if (generic == null || !"DebugSession".equals(generic.getKind())
          || !(DebugSession.GROUP + "/" + DebugSession.VERSION).equals(generic.getApiVersion())) {
        throw new UserError(file + " is not a DebugSession (apiVersion gopherscope.dev/v1alpha1, kind DebugSession)");
      }
      session = serialization.unmarshal(text, DebugSession.class);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new UserError(file + " is not a DebugSession: " + e.getMessage(), e);
    }
    if (session.getMetadata() == null || session.getMetadata().getName() == null) {
      throw new UserError(file + " has no metadata.name");
    }
    String fileNamespace = session.getMetadata().getNamespace();
    if (cluster.namespace != null && fileNamespace != null && !fileNamespace.equals(cluster.namespace)) {
      throw new UserError(file + " is for namespace " + fileNamespace + ", not " + cluster.namespace);
    }
    if (fileNamespace == null) {
      session.getMetadata().setNamespace(cluster.namespace());
    }
    return session;
  }
}
