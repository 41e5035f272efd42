package dev.gopherscope.sidecar.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarPlan.CaptureKindName;
import dev.gopherscope.contract.SidecarPlan.SessionRef;
import dev.gopherscope.contract.SidecarPlan.TriggerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

/**
 * A DebugSession YAML file for local mode, turned into a plan by the same {@link SessionPlanner}
 * the operator uses, so a session file means the same on a laptop as in a cluster.
 */
final class SessionFile {

  private final Path file;
  private final ObjectNode spec;
  private final String name;
  private final String namespace;

  private SessionFile(Path file, ObjectNode spec, String name, String namespace) {
    this.file = file;
    this.spec = spec;
    this.name = name;
    this.namespace = namespace;
  }

  /**
   * Reads a DebugSession document (or a bare spec).
   *
   * @throws UsageException if the file cannot be read or is not a DebugSession
   */
  static SessionFile read(Path file) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UsageException("cannot read the session file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new UsageException(file + " is not a DebugSession: expected a YAML mapping");
    }
    String kind = root.path("kind").asText("DebugSession");
    if (!"DebugSession".equals(kind)) {
      throw new UsageException(file + " is a " + kind + ", not a DebugSession");
    }
    JsonNode spec = root.has("spec") ? root.get("spec") : root;
    if (!spec.isObject() || !spec.path("captures").isArray() || spec.path("captures").isEmpty()) {
      throw new UsageException(file + " has no spec.captures: name at least one capture, e.g. {kind: Goroutines}");
    }
    String fallbackName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    return new SessionFile(file, ((ObjectNode) spec).deepCopy(), root.path("metadata").path("name").asText(fallbackName),
        root.path("metadata").path("namespace").asText("local"));
  }

  /** Points the session at another pprof port (the app's, on this machine). */
  SessionFile withPprofPort(Optional<Integer> port) {
    if (port.isPresent()) {
      JsonNode pprof = spec.path("pprof");
      ObjectNode node = pprof.isObject() ? (ObjectNode) pprof : spec.putObject("pprof");
      node.put("port", port.get());
    }
    return this;
  }

  /**
   * The plan for the process {@code pid}, due at now plus the session's timeout.
   *
   * @throws UsageException if the spec does not make a valid plan
   */
  SidecarPlan plan(long pid, Clock clock) {
    try {
      String container = spec.path("target").path("container").asText("app");
      SidecarPlan plan = SessionPlanner.plan(spec, new SessionRef(namespace, name, "local"), "pid-" + pid, container,
          clock.instant().plus(SessionPlanner.timeout(spec)));
      if (plan.pprof() != null && (plan.pprof().port() < 1 || plan.pprof().port() > 65535)) {
        throw new UsageException(file + ": spec.pprof.port must be 1..65535 (or pass --pprof-port)");
      }
      if (plan.trigger() != null && plan.trigger().kind() != TriggerKind.Breakpoint && plan.pprof() == null) {
        throw new UsageException(file + ": a " + plan.trigger().kind() + " trigger polls the app's net/http/pprof "
            + "endpoint: set spec.pprof.port (or pass --pprof-port)");
      }
      return plan;
    } catch (UsageException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      String problem = e.getMessage() != null && e.getMessage().startsWith("No enum constant")
          ? "unknown capture kind; the kinds are " + Arrays.toString(CaptureKindName.values()) : e.getMessage();
      throw new UsageException(file + ": " + problem, e);
    } catch (RuntimeException e) {
      throw new UsageException(file + " is not a valid DebugSession spec: " + e, e);
    }
  }
}
