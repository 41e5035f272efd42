package dev.gopherscope.sidecar.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarPlan.SessionRef;
import dev.gopherscope.sidecar.output.ArtifactSpool;
import dev.gopherscope.sidecar.pprofhttp.PprofHttpClient;
import dev.gopherscope.sidecar.redact.Redactor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Plans and capture contexts for unit tests, from a DebugSession spec written as YAML. */
final class TestSessions {

  private static final ObjectMapper YAML = new YAMLMapper();

  private TestSessions() {
  }

  static SidecarPlan plan(String specYaml) {
    try {
      JsonNode spec = YAML.readTree(specYaml);
      return SessionPlanner.plan(spec, new SessionRef("ns", "unit", "uid-1"), "pod-0", "app",
          Clock.systemUTC().instant().plus(Duration.ofMinutes(1)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static CaptureContext context(SidecarPlan plan, int pprofPort, Path spool, List<String> progress) {
    return new CaptureContext(plan, SessionFilter.matcher(plan.filter()), Redactor.compile(plan.redact()),
        new ArtifactSink(new ArtifactSpool(spool), plan.artifacts()),
        Optional.of(PprofHttpClient.onLoopback(pprofPort, "/debug/pprof")),
        DelveAccess.unavailable("no dlv in unit tests"), Clock.systemUTC(), progress::add, Optional.empty());
  }

  static List<String> progress() {
    return new ArrayList<>();
  }
}
