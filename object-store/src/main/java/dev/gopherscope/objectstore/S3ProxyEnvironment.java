package dev.gopherscope.objectstore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * s3proxy's configuration from the environment variables its own container image reads
 * (S3PROXY_*, JCLOUDS_*, as in s3proxy's run-docker-container.sh), so that a pod spec written for
 * that image runs this one unchanged. A secret-bearing variable may instead name a file in
 * {@code NAME_FILE} (a mounted Secret); the file wins, its trailing newline dropped. Empty
 * variables count as unset.
 */
final class S3ProxyEnvironment {

  /** Variable to s3proxy property, in s3proxy's own order. */
  static final Map<String, String> PROPERTIES = table(
      "S3PROXY_ENDPOINT", "s3proxy.endpoint",
      "S3PROXY_SECURE_ENDPOINT", "s3proxy.secure-endpoint",
      "S3PROXY_VIRTUALHOST", "s3proxy.virtual-host",
      "S3PROXY_KEYSTORE_PATH", "s3proxy.keystore-path",
      "S3PROXY_KEYSTORE_PASSWORD", "s3proxy.keystore-password",
      "S3PROXY_AUTHORIZATION", "s3proxy.authorization",
      "S3PROXY_IDENTITY", "s3proxy.identity",
      "S3PROXY_CREDENTIAL", "s3proxy.credential",
      "S3PROXY_CORS_ALLOW_ALL", "s3proxy.cors-allow-all",
      "S3PROXY_CORS_ALLOW_ORIGINS", "s3proxy.cors-allow-origins",
      "S3PROXY_CORS_ALLOW_METHODS", "s3proxy.cors-allow-methods",
      "S3PROXY_CORS_ALLOW_HEADERS", "s3proxy.cors-allow-headers",
      "S3PROXY_CORS_EXPOSED_HEADERS", "s3proxy.cors-exposed-headers",
      "S3PROXY_CORS_ALLOW_CREDENTIAL", "s3proxy.cors-allow-credential",
      "S3PROXY_IGNORE_UNKNOWN_HEADERS", "s3proxy.ignore-unknown-headers",
      "S3PROXY_ENCRYPTED_BLOBSTORE", "s3proxy.encrypted-blobstore",
      "S3PROXY_ENCRYPTED_BLOBSTORE_PASSWORD", "s3proxy.encrypted-blobstore-password",
      "S3PROXY_ENCRYPTED_BLOBSTORE_SALT", "s3proxy.encrypted-blobstore-salt",
      "S3PROXY_V4_MAX_NON_CHUNKED_REQ_SIZE", "s3proxy.v4-max-non-chunked-request-size",
      "S3PROXY_V4_MAX_CHUNK_SIZE", "s3proxy.v4-max-chunk-size",
      "S3PROXY_READ_ONLY_BLOBSTORE", "s3proxy.read-only-blobstore",
      "S3PROXY_NO_CACHE_BLOBSTORE", "s3proxy.no-cache-blobstore",
      "S3PROXY_MAXIMUM_TIMESKEW", "s3proxy.maximum-timeskew",
      "S3PROXY_SERVICE_PATH", "s3proxy.service-path",
      "JCLOUDS_PROVIDER", "jclouds.provider",
      "JCLOUDS_IDENTITY", "jclouds.identity",
      "JCLOUDS_CREDENTIAL", "jclouds.credential",
      "JCLOUDS_ENDPOINT", "jclouds.endpoint",
      "JCLOUDS_REGION", "jclouds.region",
      "JCLOUDS_FILESYSTEM_BASEDIR", "jclouds.filesystem.basedir");

  static final Set<String> SECRETS = Set.of("S3PROXY_IDENTITY", "S3PROXY_CREDENTIAL", "S3PROXY_KEYSTORE_PASSWORD",
      "S3PROXY_ENCRYPTED_BLOBSTORE_PASSWORD", "S3PROXY_ENCRYPTED_BLOBSTORE_SALT", "JCLOUDS_IDENTITY",
      "JCLOUDS_CREDENTIAL");

  /**
   * What this image does when a variable is unset. Unlike s3proxy's image (port 80, fixed
   * credentials) it listens on an unprivileged port, as a non-root container must, and has no
   * default credentials: a store nobody configured must not answer to a well-known key.
   */
  static final Map<String, String> DEFAULTS = table(
      "s3proxy.endpoint", "http://0.0.0.0:8080",
      "s3proxy.authorization", "aws-v2-or-v4",
      "jclouds.provider", "filesystem",
      "jclouds.filesystem.basedir", "/data");

  private S3ProxyEnvironment() {}

  /**
   * The properties {@code env} configures, defaults filled in.
   *
   * @throws IllegalArgumentException naming the variable that is missing or unreadable
   */
  static Properties properties(Map<String, String> env) {
    Properties properties = new Properties();
    properties.putAll(DEFAULTS);
    PROPERTIES.forEach((variable, property) -> {
      String value = value(env, variable);
      if (value != null) {
        properties.setProperty(property, value);
      }
    });
    if (!"none".equalsIgnoreCase(properties.getProperty("s3proxy.authorization"))) {
      for (String required : new String[] {"s3proxy.identity", "s3proxy.credential"}) {
        if (!properties.containsKey(required)) {
          String variable = variableOf(required);
          throw new IllegalArgumentException(variable + " (or " + variable + "_FILE) is not set: the store needs the "
              + "access key and secret key clients sign with (S3PROXY_AUTHORIZATION=none serves anyone)");
        }
      }
    }
    return properties;
  }

  private static String value(Map<String, String> env, String variable) {
    String file = SECRETS.contains(variable) ? env.get(variable + "_FILE") : null;
    if (file != null && !file.isEmpty()) {
      try {
        return stripNewline(Files.readString(Path.of(file), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalArgumentException(variable + "_FILE=" + file + " cannot be read: " + e.getMessage(), e);
      }
    }
    String value = env.get(variable);
    return value == null || value.isEmpty() ? null : value;
  }

  /** As the shell's command substitution does, which is what s3proxy's image applies. */
  private static String stripNewline(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }

  private static String variableOf(String property) {
    return PROPERTIES.entrySet().stream().filter(e -> e.getValue().equals(property)).map(Map.Entry::getKey)
        .findFirst().orElseThrow();
  }

  private static Map<String, String> table(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
