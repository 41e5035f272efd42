package dev.gopherscope.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart installs the CRDs from its own {@code crds/} folder, a copy of what the API classes
 * generate into {@code crds/generated/} (which {@code CrdDriftTest} keeps honest). The two must
 * never differ, or {@code helm install} would install an API the operator does not speak.
 */
class CrdChartDriftTest {

  private static final Path REPO = repoRoot();
  private static final Path GENERATED = REPO.resolve("crds/generated");
  private static final Path CHART_CRDS = REPO.resolve("helm/gopherscope/crds");

  @Test
  void chartCarriesExactlyTheGeneratedCrds() throws IOException {
    assertThat(fileNames(CHART_CRDS))
        .as("CRD files in %s, against %s (copy them with: cp crds/generated/*.yml helm/gopherscope/crds/)",
            CHART_CRDS, GENERATED)
        .containsExactlyElementsOf(fileNames(GENERATED))
        .isNotEmpty();
    for (String name : fileNames(GENERATED)) {
      assertThat(Files.readString(CHART_CRDS.resolve(name)))
          .as("helm/gopherscope/crds/%s differs from crds/generated/%s: after 'make crds', copy it with "
              + "cp crds/generated/%s helm/gopherscope/crds/", name, name, name)
          .isEqualTo(Files.readString(GENERATED.resolve(name)));
    }
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .sorted().toList();
    }
  }

  /** The repository root, found from the working directory: a unit test builds nothing, so no TestEnvironment. */
  static Path repoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("helm/gopherscope/Chart.yaml")) && Files.isDirectory(dir.resolve("crds/generated"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root (with helm/gopherscope and crds/generated) above "
        + Path.of("").toAbsolutePath());
  }
}
