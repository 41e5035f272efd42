package dev.gopherscope.operator.config;

import dev.gopherscope.contract.GoDuration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads {@link OperatorConfig} from environment variables, optionally layered over a properties
 * file named by {@code GOPHERSCOPE_CONFIG_FILE} (same keys). Missing required settings fail at
 * start-up with the name of the variable to set, never later in a reconcile.
 */
public final class OperatorConfigLoader {

  public static final String CONFIG_FILE = "GOPHERSCOPE_CONFIG_FILE";

  private final Map<String, String> values;

  private OperatorConfigLoader(Map<String, String> values) {
    this.values = values;
  }

  public static OperatorConfig fromEnvironment() {
    return load(System.getenv());
  }

  public static OperatorConfig load(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>();
    String file = env.get(CONFIG_FILE);
    if (file != null && !file.isBlank()) {
      Properties properties = new Properties();
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + CONFIG_FILE + "=" + file, e);
      }
      properties.forEach((k, v) -> merged.put(k.toString(), v.toString()));
    }
    merged.putAll(env);
    return new OperatorConfigLoader(merged).build();
  }

  private OperatorConfig build() {
    String caPem = get("GOPHERSCOPE_SIDECAR_API_CA", null);
    if (caPem == null) {
      Path caFile = Path.of(get("GOPHERSCOPE_SIDECAR_API_CA_FILE", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"));
      caPem = readIfPresent(caFile);
    }
    return new OperatorConfig(
        get("GOPHERSCOPE_SIDECAR_IMAGE", "gopherscope/sidecar:0.1.0"),
        words(get("GOPHERSCOPE_SIDECAR_COMMAND", "")),
        words(get("GOPHERSCOPE_SIDECAR_ARGS", "run")),
        get("GOPHERSCOPE_SIDECAR_DLV", "/opt/gopherscope/bin/dlv"),
        URI.create(get("GOPHERSCOPE_SIDECAR_API_SERVER", "https://kubernetes.default.svc")),
        caPem,
        new OperatorConfig.ObjectStore(
            Optional.ofNullable(get("GOPHERSCOPE_S3_ENDPOINT", null)).map(URI::create),
            get("GOPHERSCOPE_S3_BUCKET", "gopherscope"),
            get("GOPHERSCOPE_S3_REGION", "us-east-1"),
            required("GOPHERSCOPE_S3_ACCESS_KEY"),
            required("GOPHERSCOPE_S3_SECRET_KEY"),
            Boolean.parseBoolean(get("GOPHERSCOPE_S3_PATH_STYLE", "true"))),
        positive("GOPHERSCOPE_MAX_CONCURRENT_SESSIONS", 20),
        positive("GOPHERSCOPE_MAX_TARGETS", 10),
        GoDuration.parse(get("GOPHERSCOPE_SIDECAR_REPORT_DEADLINE", "120s")),
        bytes("GOPHERSCOPE_SIDECAR_MEMORY", "96Mi"),
        bytes("GOPHERSCOPE_DLV_MEMORY", "256Mi"),
        oneOf("GOPHERSCOPE_DEFAULT_POD_SECURITY_LEVEL", "privileged", "privileged", "baseline", "restricted"),
        port("GOPHERSCOPE_METRICS_PORT", 8080),
        Optional.ofNullable(get("GOPHERSCOPE_LEADER_ELECTION_NAMESPACE", null)));
  }

  private static List<String> words(String value) {
    return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
  }

  private String get(String key, String fallback) {
    String value = values.get(key);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private String required(String key) {
    String value = get(key, null);
    if (value == null) {
      throw new IllegalArgumentException(key + " is not set: the operator needs object-store credentials "
          + "to presign uploads (the chart takes them from a Secret)");
    }
    return value;
  }

  private int positive(String key, int fallback) {
    String value = get(key, String.valueOf(fallback));
    try {
      int parsed = Integer.parseInt(value);
      if (parsed <= 0) {
        throw new IllegalArgumentException(key + " must be positive, got " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got " + value, e);
    }
  }

  /** A TCP port; 0 lets the kernel pick one (tests run several operators). */
  private int port(String key, int fallback) {
    String value = get(key, String.valueOf(fallback));
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < 0 || parsed > 65535) {
        throw new IllegalArgumentException(key + " must be a port from 0 to 65535, got " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got " + value, e);
    }
  }

  private String oneOf(String key, String fallback, String... allowed) {
    String value = get(key, fallback);
    if (!Arrays.asList(allowed).contains(value)) {
      throw new IllegalArgumentException(key + " must be one of " + Arrays.toString(allowed) + ", got " + value);
    }
    return value;
  }

  private long bytes(String key, String fallback) {
    String value = get(key, fallback);
    try {
      return MemoryQuantity.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  private static String readIfPresent(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
