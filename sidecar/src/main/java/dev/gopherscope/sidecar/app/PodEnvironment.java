package dev.gopherscope.sidecar.app;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.contract.SidecarPlan;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator hands the sidecar in its container's environment ({@link SidecarEnvironment}).
 *
 * @param caPem the API server's CA; empty to trust the JVM's defaults
 * @param uploads planned artifact name to presigned PUT URL
 * @param dlv where dlv is in the image, when given
 */
record PodEnvironment(SidecarPlan plan, URI apiServer, String caPem, String token, Map<String, URI> uploads,
    Optional<Path> dlv, Path spoolDir) {

  static final Path DEFAULT_SPOOL = Path.of("/tmp/gopherscope");

  /**
   * Reads and checks the environment.
   *
   * @throws UsageException naming every variable that is missing or malformed
   */
  static PodEnvironment read(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    SidecarPlan plan = present(env, SidecarEnvironment.PLAN, problems).map(json -> {
      try {
        SidecarPlan parsed = ContractJson.mapper().readValue(json, SidecarPlan.class);
        if (parsed.session() == null || parsed.pod() == null || parsed.captures() == null
            || parsed.artifacts() == null || parsed.deadline() == null) {
          problems.add(SidecarEnvironment.PLAN + " lacks session, pod, captures, artifacts or deadline");
        }
        return parsed;
      } catch (IOException e) {
        problems.add(SidecarEnvironment.PLAN + " is not a plan: " + e.getMessage());
        return null;
      }
    }).orElse(null);
    URI apiServer = present(env, SidecarEnvironment.API_SERVER, problems).map(url -> {
      try {
        return URI.create(url);
      } catch (IllegalArgumentException e) {
        problems.add(SidecarEnvironment.API_SERVER + " is not a URL: " + e.getMessage());
        return null;
      }
    }).orElse(null);
    String token = present(env, SidecarEnvironment.TOKEN, problems).orElse(null);
    Map<String, URI> uploads = present(env, SidecarEnvironment.UPLOADS, problems).map(json -> {
      try {
        return ContractJson.mapper().readValue(json, new TypeReference<Map<String, URI>>() { });
      } catch (IOException e) {
        problems.add(SidecarEnvironment.UPLOADS + " is not a JSON object of artifact name to URL: " + e.getMessage());
        return null;
      }
    }).orElse(null);
    if (!problems.isEmpty()) {
      throw new UsageException("the sidecar's environment is incomplete: " + String.join("; ", problems));
    }
    Optional<Path> dlv = Optional.ofNullable(env.get(SidecarEnvironment.DLV)).filter(s -> !s.isBlank()).map(Path::of);
    Path spool = Optional.ofNullable(env.get(SidecarEnvironment.SPOOL_DIR)).filter(s -> !s.isBlank()).map(Path::of)
        .orElse(DEFAULT_SPOOL);
    return new PodEnvironment(plan, apiServer, env.getOrDefault(SidecarEnvironment.API_CA, ""), token, uploads, dlv,
        spool);
  }

  private static Optional<String> present(Map<String, String> env, String name, List<String> problems) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      problems.add(name + " is not set");
      return Optional.empty();
    }
    return Optional.of(value);
  }
}
