package dev.gopherscope.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Installs the committed DebugSession CRD ({@code crds/generated/}) into a real API server. */
public final class DebugSessionCrd {

  public static final String NAME = "debugsessions.gopherscope.dev";

  private DebugSessionCrd() {
  }

  public static Path committedYaml() {
    return TestEnvironment.get().repoRoot().resolve("crds/generated/debugsessions.gopherscope.dev-v1.yml");
  }

  /** Creates or replaces the CRD and waits until the API server serves it. */
  public static CustomResourceDefinition install(KubernetesClient client) {
    try (InputStream yaml = Files.newInputStream(committedYaml())) {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(yaml).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
      return client.apiextensions().v1().customResourceDefinitions().withName(NAME)
          .waitUntilCondition(DebugSessionCrd::established, 60, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    // A CRD read right after it was created has a status without conditions yet.
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
