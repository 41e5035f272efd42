package dev.gopherscope.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD ({@code crds/generated/}) must be exactly what the API classes generate.
 * {@code make crds} (system property {@code gopherscope.crds.update=true}) rewrites it.
 */
class CrdDriftTest {

  static final Path COMMITTED = Path.of("generated", "debugsessions.gopherscope.dev-v1.yml");

  @Test
  void committedCrdMatchesTheApiClasses() throws IOException {
    String generated = generate();
    if (Boolean.getBoolean("gopherscope.crds.update")) {
      Files.createDirectories(COMMITTED.getParent());
      Files.writeString(COMMITTED, generated);
    }
    assertThat(Files.exists(COMMITTED)).as("%s exists (run 'make crds')", COMMITTED.toAbsolutePath()).isTrue();
    assertThat(Files.readString(COMMITTED))
        .as("crds/generated/ is out of date with the API classes: run 'make crds' and commit the result")
        .isEqualTo(generated);
  }

  @Test
  void printerColumnsFollowTheDeclaredOrder() throws IOException {
    String crd = generate();
    List<String> names = Arrays.stream(DebugSession.class.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
    assertThat(names).containsExactly("Phase", "Targets", "Captures", "Paused", "Age");
    int last = -1;
    for (String name : names) {
      int at = crd.indexOf("name: \"" + name + "\"");
      assertThat(at).as("column %s after the previous one", name).isGreaterThan(last);
      last = at;
    }
  }

  /** Runs fabric8's CRD generator over the API classes and returns the YAML. */
  static String generate() {
    ByteArrayOutputStream yaml = new ByteArrayOutputStream();
    new CRDGenerator()
        .customResourceClasses(DebugSession.class)
        .forCRDVersions("v1")
        .withPostProcessor(new KubernetesSchemaDetails())
        .withOutput(new CRDGenerator.AbstractCRDOutput<>() {
          @Override
          protected OutputStream createStreamFor(String crdName) {
            return yaml;
          }
        })
        .generate();
    return yaml.toString(StandardCharsets.UTF_8);
  }

  /** What the generator's annotations cannot say. */
  static final class KubernetesSchemaDetails implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      List<String> declared = Arrays.stream(DebugSession.class.getAnnotationsByType(AdditionalPrinterColumn.class))
          .map(AdditionalPrinterColumn::name).toList();
      ((CustomResourceDefinition) crd).getSpec().getVersions().forEach(version -> {
        // The generator sorts printer columns by JSON path, which would put AGE first; kubectl
        // shows them in CRD order, so restore the order they are declared in on DebugSession.
        version.getAdditionalPrinterColumns()
            .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
        // Lists keyed by a field merge per entry under server-side apply: each sidecar applies
        // its own target entry and the operator its own fields, and nobody clobbers anybody.
        JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
        listMap(status.getProperties().get("targets"), "pod");
        listMap(status.getProperties().get("conditions"), "type");
        JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        boundSelector(spec.getProperties().get("target").getProperties().get("selector"));
      });
      return crd;
    }

    /**
     * LabelSelector is fabric8's class, so its schema cannot carry our annotations. The CEL rules
     * on target.selector need bounded sizes (the API server refuses rules whose cost it cannot
     * bound), and an unknown operator is best refused by an enum that lists the valid ones.
     */
    private static void boundSelector(JSONSchemaProps selector) {
      JSONSchemaProps matchLabels = selector.getProperties().get("matchLabels");
      matchLabels.setMaxProperties(32L);
      matchLabels.getAdditionalProperties().getSchema().setMaxLength(63L);
      JSONSchemaProps matchExpressions = selector.getProperties().get("matchExpressions");
      matchExpressions.setMaxItems(32L);
      JSONSchemaProps expression = matchExpressions.getItems().getSchema();
      expression.setRequired(List.of("key", "operator"));
      expression.getProperties().get("key").setMaxLength(317L);
      expression.getProperties().get("operator").setEnum(Stream.of("In", "NotIn", "Exists", "DoesNotExist")
          .map(TextNode::new).map(JsonNode.class::cast).toList());
      JSONSchemaProps values = expression.getProperties().get("values");
      values.setMaxItems(32L);
      values.getItems().getSchema().setMaxLength(63L);
    }

    private static void listMap(JSONSchemaProps list, String key) {
      list.setXKubernetesListType("map");
      list.setXKubernetesListMapKeys(List.of(key));
    }
  }
}
