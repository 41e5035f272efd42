package dev.gopherscope.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status is bounded by its schema, not by the good manners of whoever writes it: every
 * string, list and map under {@code .status} has a limit, and the largest status those limits
 * admit is far below etcd's 1.5 MiB object limit.
 */
class StatusSizeBoundTest {

  /** Leaves room for metadata, spec and managedFields in the same etcd object. */
  private static final long BUDGET_BYTES = 512 * 1024;

  @Test
  void largestAdmissibleStatusFitsTheBudget() throws IOException {
    JSONSchemaProps status = statusSchema();
    List<String> unbounded = new ArrayList<>();
    long bound = maxJsonBytes("status", status, unbounded);
    assertThat(unbounded).as("status fields without a size limit").isEmpty();
    System.out.printf("largest admissible DebugSession status: %d bytes (budget %d)%n", bound, BUDGET_BYTES);
    assertThat(bound).isLessThan(BUDGET_BYTES);
  }

  private static JSONSchemaProps statusSchema() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(Files.newInputStream(CrdDriftTest.COMMITTED),
        CustomResourceDefinition.class);
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("status");
  }

  /**
   * An upper bound of the JSON encoding of any value the schema admits: 4 bytes per character
   * (UTF-8) plus quotes, 20 per number, the key names of objects and the separators.
   */
  static long maxJsonBytes(String path, JSONSchemaProps schema, List<String> unbounded) {
    switch (schema.getType()) {
      case "string":
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
          return schema.getEnum().stream().mapToLong(e -> e.toString().length() + 2).max().orElseThrow();
        }
        if (schema.getMaxLength() == null) {
          unbounded.add(path);
          return 0;
        }
        return schema.getMaxLength() * 4 + 2;
      case "integer":
      case "number":
        return 20;
      case "boolean":
        return 5;
      case "array":
        if (schema.getMaxItems() == null) {
          unbounded.add(path);
          return 0;
        }
        return 2 + schema.getMaxItems() * (1 + maxJsonBytes(path + "[]", schema.getItems().getSchema(), unbounded));
      case "object":
        if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
          if (schema.getMaxProperties() == null) {
            unbounded.add(path);
            return 0;
          }
          long keyBytes = 128 * 4 + 3; // keys are limited to 128 characters by a CEL rule
          return 2 + schema.getMaxProperties()
              * (keyBytes + maxJsonBytes(path + "{}", schema.getAdditionalProperties().getSchema(), unbounded));
        }
        long total = 2;
        for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
          total += property.getKey().length() + 4
              + maxJsonBytes(path + "." + property.getKey(), property.getValue(), unbounded);
        }
        return total;
      default:
        unbounded.add(path + " (type " + schema.getType() + ")");
        return 0;
    }
  }
}
