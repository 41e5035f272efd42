package dev.gopherscope.operator.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the operator is told by its deployment. An empty {@code sidecarCommand} runs the
 * sidecar image's own entrypoint (the image has no shell to run a launcher script).
 *
 * <p>Everything the operator is told by its deployment: the sidecar image and how to run it, the
 * object store, and the limits and defaults it enforces. Loaded by {@link OperatorConfigLoader}.
 */
public record OperatorConfig(
    String sidecarImage,
    List<String> sidecarCommand,
    List<String> sidecarArgs,
    String dlvPathInImage,
    URI sidecarApiServer,
    String sidecarApiCaPem,
    ObjectStore objectStore,
    int maxConcurrentSessions,
    int maxTargets,
    Duration sidecarReportDeadline,
    long sidecarMemoryBytes,
    long dlvMemoryBytes,
    String defaultPodSecurityLevel,
    int metricsPort,
    Optional<String> leaderElectionNamespace) {

  /** Where artifacts go; the operator alone holds these credentials. */
  public record ObjectStore(Optional<URI> endpoint, String bucket, String region, String accessKey, String secretKey,
      boolean pathStyle) {

    @Override
    public String toString() {
      // Never print the secret key, not even in a debug log of the configuration.
      return "ObjectStore[endpoint=" + endpoint.map(URI::toString).orElse("aws") + ", bucket=" + bucket
          + ", region=" + region + ", pathStyle=" + pathStyle + "]";
    }
  }
}
