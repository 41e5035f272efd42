package dev.gopherscope.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ProxyEnvironmentTest {

  @Test
  void theChartsVariablesBecomeS3ProxysProperties() {
    Properties properties = S3ProxyEnvironment.properties(Map.of(
        "S3PROXY_ENDPOINT", "http://0.0.0.0:9000", "S3PROXY_AUTHORIZATION", "aws-v4",
        "S3PROXY_IDENTITY", "access", "S3PROXY_CREDENTIAL", "secret",
        "JCLOUDS_PROVIDER", "filesystem", "JCLOUDS_FILESYSTEM_BASEDIR", "/store",
        "S3PROXY_V4_MAX_NON_CHUNKED_REQ_SIZE", "1024", "UNRELATED", "x"));

    assertThat(properties).containsOnly(
        Map.entry("s3proxy.endpoint", "http://0.0.0.0:9000"), Map.entry("s3proxy.authorization", "aws-v4"),
        Map.entry("s3proxy.identity", "access"), Map.entry("s3proxy.credential", "secret"),
        Map.entry("jclouds.provider", "filesystem"), Map.entry("jclouds.filesystem.basedir", "/store"),
        Map.entry("s3proxy.v4-max-non-chunked-request-size", "1024"));
  }

  @Test
  void unsetOrEmptyVariablesLeaveTheImagesDefaults() {
    Properties properties = S3ProxyEnvironment.properties(Map.of(
        "S3PROXY_IDENTITY", "access", "S3PROXY_CREDENTIAL", "secret", "S3PROXY_ENDPOINT", "", "S3PROXY_VIRTUALHOST", ""));

    assertThat(properties).contains(Map.entry("s3proxy.endpoint", "http://0.0.0.0:8080"),
        Map.entry("s3proxy.authorization", "aws-v2-or-v4"), Map.entry("jclouds.provider", "filesystem"),
        Map.entry("jclouds.filesystem.basedir", "/data")).doesNotContainKey("s3proxy.virtual-host");
  }

  @Test
  void aSecretComesFromItsFileWithoutTheTrailingNewline(@TempDir Path dir) throws Exception {
    Path credential = Files.writeString(dir.resolve("credential"), "from-file\n");

    Properties properties = S3ProxyEnvironment.properties(Map.of("S3PROXY_IDENTITY", "access",
        "S3PROXY_CREDENTIAL", "from-env", "S3PROXY_CREDENTIAL_FILE", credential.toString()));

    assertThat(properties.getProperty("s3proxy.credential")).isEqualTo("from-file");
  }

  @Test
  void aMissingOrUnreadableSecretIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> S3ProxyEnvironment.properties(Map.of("S3PROXY_IDENTITY", "access")))
        .hasMessageStartingWith("S3PROXY_CREDENTIAL (or S3PROXY_CREDENTIAL_FILE) is not set");
    assertThatThrownBy(() -> S3ProxyEnvironment.properties(Map.of("S3PROXY_IDENTITY", "access",
        "S3PROXY_CREDENTIAL_FILE", dir.resolve("absent").toString())))
        .hasMessageStartingWith("S3PROXY_CREDENTIAL_FILE=" + dir.resolve("absent") + " cannot be read");
  }

  @Test
  void withoutAuthorizationNoCredentialsAreNeeded() {
    assertThat(S3ProxyEnvironment.properties(Map.of("S3PROXY_AUTHORIZATION", "none")))
        .doesNotContainKeys("s3proxy.identity", "s3proxy.credential");
  }
}
