package dev.gopherscope.plugin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Resources printed as kubectl prints them with -o yaml (quotes only where YAML needs them) and -o json. */
final class Printing {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
      .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);

  private Printing() {
  }

  static String format(HasMetadata resource, String output) {
    return switch (output) {
      case "yaml" -> yaml(resource);
      case "json" -> new KubernetesSerialization().asJson(resource) + System.lineSeparator();
      default -> throw new UserError("-o is yaml or json, not " + output);
    };
  }

  private static String yaml(HasMetadata resource) {
    try {
      return YAML.writeValueAsString(resource);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print " + resource.getMetadata().getName() + " as YAML", e);
    }
  }
}
