package dev.gopherscope.plugin;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Resources printed as kubectl prints them with -o yaml / -o json. */
final class Printing {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Printing() {
  }

  static String format(HasMetadata resource, String output) {
    return switch (output) {
      case "yaml" -> SERIALIZATION.asYaml(resource);
      case "json" -> SERIALIZATION.asJson(resource) + System.lineSeparator();
      default -> throw new UserError("-o is yaml or json, not " + output);
    };
  }
}
