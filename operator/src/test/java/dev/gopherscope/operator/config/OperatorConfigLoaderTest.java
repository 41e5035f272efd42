package dev.gopherscope.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigLoaderTest {

  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("GOPHERSCOPE_S3_ACCESS_KEY", "ak");
    env.put("GOPHERSCOPE_S3_SECRET_KEY", "sk");
    env.put("GOPHERSCOPE_SIDECAR_API_CA_FILE", "/nonexistent/ca.crt");
    return env;
  }

  @Test
  void appliesDefaults() {
    OperatorConfig config = OperatorConfigLoader.load(minimal());
    assertThat(config.sidecarCommand()).as("the image's entrypoint runs").isEmpty();
    assertThat(config.sidecarArgs()).containsExactly("run");
    assertThat(config.sidecarReportDeadline()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.sidecarMemoryBytes()).isEqualTo(96L * 1024 * 1024);
    assertThat(config.objectStore().bucket()).isEqualTo("gopherscope");
    assertThat(config.leaderElectionNamespace()).isEmpty();
    assertThat(config.sidecarApiCaPem()).isNull();
  }

  @Test
  void missingCredentialsNameTheVariable() {
    Map<String, String> env = minimal();
    env.remove("GOPHERSCOPE_S3_SECRET_KEY");
    assertThatThrownBy(() -> OperatorConfigLoader.load(env)).hasMessageContaining("GOPHERSCOPE_S3_SECRET_KEY is not set");
  }

  @Test
  void badValuesSayWhatIsWrong() {
    Map<String, String> env = minimal();
    env.put("GOPHERSCOPE_DLV_MEMORY", "lots");
    assertThatThrownBy(() -> OperatorConfigLoader.load(env)).hasMessageContaining("GOPHERSCOPE_DLV_MEMORY")
        .hasMessageContaining("not a memory quantity");
    env.remove("GOPHERSCOPE_DLV_MEMORY");
    env.put("GOPHERSCOPE_DEFAULT_POD_SECURITY_LEVEL", "lenient");
    assertThatThrownBy(() -> OperatorConfigLoader.load(env)).hasMessageContaining("must be one of");
  }

  @Test
  void theSecretKeyNeverShowsInTheConfigurationsText() {
    assertThat(OperatorConfigLoader.load(minimal()).objectStore().toString()).doesNotContain("sk");
  }
}
