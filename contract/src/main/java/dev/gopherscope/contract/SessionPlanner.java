package dev.gopherscope.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.SidecarPlan.CaptureKindName;
import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarPlan.Filter;
import dev.gopherscope.contract.SidecarPlan.PlannedArtifact;
import dev.gopherscope.contract.SidecarPlan.PprofTarget;
import dev.gopherscope.contract.SidecarPlan.SessionRef;
import dev.gopherscope.contract.SidecarPlan.Source;
import dev.gopherscope.contract.SidecarPlan.TriggerKind;
import dev.gopherscope.contract.SidecarPlan.TriggerPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a DebugSession {@code spec} (as a JSON tree, so the operator's typed spec and a YAML file
 * in local mode go through the same code) into the plan for one target, with every default
 * applied and every artifact name decided up front (the operator presigns one URL per name).
 */
public final class SessionPlanner {

  public static final Duration DEFAULT_PAUSE_BUDGET = Duration.ofMillis(100);
  /**
   * Attaching halts the target while dlv loads its debug info: the sidecar's attaches measured 0.5
   * to 0.8 s for the demo, 1.5 to 1.7 s for etcd, 1.6 to 1.8 s for dlv's own 23 MB binary (once
   * over 2 s) on two idle cores; kube-apiserver is predicted at about 5.8 s. 3 s covers the first
   * three with room for a busy node, and can fail at most one kubelet probe at its defaults (1 s
   * timeout, every 10 s), never the three in a row that restart a container.
   */
  public static final Duration DEFAULT_ATTACH_PAUSE_BUDGET = Duration.ofSeconds(3);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_EVERY = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CPU_DURATION = Duration.ofSeconds(10);
  /** An execution trace of a busy service grows by megabytes a second: a few seconds show enough. */
  public static final Duration DEFAULT_TRACE_DURATION = Duration.ofSeconds(5);
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(30);
  public static final String EXECUTION_TRACE = "trace.out";
  public static final String EXECUTION_TRACE_SUMMARY = "trace-summary.json";
  public static final String RUNTIME_HEALTH = "runtime-health.json";
  /** Snapshots a GoroutineLeaks capture takes for the growth heuristic, where leaks cannot be proven. */
  public static final int DEFAULT_LEAK_SNAPSHOTS = 3;
  /** The goroutine leak report, and the goroutineleak profile where the app serves one. */
  public static final String LEAKS_REPORT = "goroutine-leaks.json";
  public static final String LEAKS_PROFILE = "goroutineleak.pb.gz";
  public static final String DEFAULT_PPROF_PATH = "/debug/pprof";
  public static final String REPORT = "report.json";
  /** How the trigger fared: the condition, every poll's value (bounded), and what fired it. */
  public static final String TRIGGER = "trigger.json";
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  private SessionPlanner() {
  }

  /** The session's overall timeout from its spec. */
  public static Duration timeout(JsonNode spec) {
    return GoDuration.parseOr(text(spec, "timeout"), DEFAULT_TIMEOUT);
  }

  /** The plan for one target pod; {@code deadline} is when the session times out. */
  public static SidecarPlan plan(JsonNode spec, SessionRef session, String pod, String container, Instant deadline) {
    PprofTarget pprof = null;
    JsonNode pprofNode = spec.path("pprof");
    if (pprofNode.isObject()) {
      String path = text(pprofNode, "path");
      pprof = new PprofTarget(pprofNode.path("port").asInt(), path == null ? DEFAULT_PPROF_PATH : path);
    }
    List<CapturePlan> captures = new ArrayList<>();
    JsonNode captureNodes = spec.path("captures");
    for (int i = 0; i < captureNodes.size(); i++) {
      captures.add(capture(i, captureNodes.get(i), pprof != null));
    }
    List<String> redact = new ArrayList<>();
    spec.path("redact").forEach(p -> redact.add(p.asText()));
    TriggerPlan trigger = trigger(spec.path("trigger"));
    List<PlannedArtifact> artifacts = artifacts(captures);
    if (trigger != null) {
      artifacts.add(artifacts.size() - 1, new PlannedArtifact(TRIGGER, null, -1, "application/json"));
    }
    return new SidecarPlan(session, pod, container, text(spec.path("target"), "processName"), pprof,
        filter(spec.path("filter")), captures,
        GoDuration.parseOr(text(spec, "pauseBudget"), DEFAULT_PAUSE_BUDGET).toMillis(),
        GoDuration.parseOr(text(spec, "attachPauseBudget"), DEFAULT_ATTACH_PAUSE_BUDGET).toMillis(), deadline, redact,
        artifacts, null, trigger);
  }

  /** spec.trigger, or null; the CRD's rules have made sure exactly one condition is set. */
  private static TriggerPlan trigger(JsonNode node) {
    if (!node.isObject()) {
      return null;
    }
    long poll = GoDuration.parseOr(text(node, "pollInterval"), DEFAULT_POLL_INTERVAL).toMillis();
    boolean filterByHit = node.path("filterByHitLabels").asBoolean(true);
    if (node.path("goroutinesAbove").isNumber()) {
      return new TriggerPlan(TriggerKind.GoroutinesAbove, node.path("goroutinesAbove").asLong(), null, null, null, poll,
          false);
    }
    if (text(node, "heapInUseAbove") != null) {
      return new TriggerPlan(TriggerKind.HeapInUseAbove, Quantity.bytes(text(node, "heapInUseAbove")), null, null,
          null, poll, false);
    }
    if (node.path("labelAppears").isObject()) {
      Map<String, String> labels = new LinkedHashMap<>();
      node.path("labelAppears").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      return new TriggerPlan(TriggerKind.LabelAppears, 0, labels, null, null, poll, false);
    }
    JsonNode breakpoint = node.path("breakpoint");
    if (breakpoint.isObject()) {
      return new TriggerPlan(TriggerKind.Breakpoint, 0, null, text(breakpoint, "location"),
          text(breakpoint, "condition"), poll, filterByHit);
    }
    throw new IllegalArgumentException("spec.trigger names no condition: set goroutinesAbove, heapInUseAbove, "
        + "labelAppears or breakpoint");
  }

  private static CapturePlan capture(int index, JsonNode node, boolean hasPprof) {
    CaptureKindName kind = CaptureKindName.valueOf(node.path("kind").asText());
    Source source = switch (kind) {
      case Goroutines, TraceStacks -> switch (node.path("source").asText("Auto")) {
        case "Pprof" -> Source.Pprof;
        case "Delve" -> Source.Delve;
        default -> hasPprof ? Source.Pprof : Source.Delve;
      };
      case Snapshot -> Source.Delve;
      default -> Source.Pprof;
    };
    boolean goroutines = kind == CaptureKindName.Goroutines || kind == CaptureKindName.Heap
        || kind == CaptureKindName.GoroutineLeaks;
    boolean snapshot = kind == CaptureKindName.Snapshot;
    long profileRate = switch (kind) {
      case Block -> node.path("blockProfileRate").asLong(0);
      case Mutex -> node.path("mutexProfileFraction").asLong(0);
      default -> 0;
    };
    return new CapturePlan(index, kind, source,
        goroutines ? GoDuration.parseOr(text(node, "every"), DEFAULT_EVERY).toMillis() : 0,
        goroutines ? node.path("count").asInt(kind == CaptureKindName.GoroutineLeaks ? DEFAULT_LEAK_SNAPSHOTS : 1)
            : (kind == CaptureKindName.TraceStacks ? 1 : 0),
        durationMs(kind, node, profileRate > 0),
        snapshot ? text(node, "location") : null,
        snapshot ? text(node, "condition") : null,
        snapshot ? node.path("maxHits").asInt(1) : 0,
        snapshot && node.path("loadArgs").asBoolean(true),
        snapshot && node.path("loadLocals").asBoolean(false),
        profileRate);
  }

  /**
   * A CPU profile's length; for Block and Mutex, the window of a delta profile (0: the counts since
   * the process started), which a rate switched on in place always needs.
   */
  private static long durationMs(CaptureKindName kind, JsonNode node, boolean rateSwitched) {
    String duration = text(node, "duration");
    return switch (kind) {
      case CPUProfile -> GoDuration.parseOr(duration, DEFAULT_CPU_DURATION).toMillis();
      case ExecutionTrace -> GoDuration.parseOr(duration, DEFAULT_TRACE_DURATION).toMillis();
      case RuntimeHealth -> GoDuration.parseOr(duration, DEFAULT_HEALTH_INTERVAL).toMillis();
      case Block, Mutex -> duration != null || rateSwitched
          ? GoDuration.parseOr(duration, DEFAULT_CPU_DURATION).toMillis() : 0;
      default -> 0;
    };
  }

  private static Filter filter(JsonNode node) {
    if (!node.isObject()) {
      return Filter.none();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    node.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<String> keys = new ArrayList<>();
    node.path("labelKeys").forEach(k -> keys.add(k.asText()));
    String traceId = null;
    String traceparent = text(node, "traceparent");
    if (traceparent != null) {
      traceId = traceparent.substring(3, 35);
    } else if (text(node, "traceId") != null) {
      // A 64-bit id (Datadog style) is the low half of a 128-bit W3C id, as OpenTelemetry maps it.
      traceId = "0".repeat(32 - text(node, "traceId").length()) + text(node, "traceId");
    }
    return new Filter(labels, keys, traceId);
  }

  /** Every file a target may produce, in capture order, ending with the report. */
  static List<PlannedArtifact> artifacts(List<CapturePlan> captures) {
    List<PlannedArtifact> artifacts = new ArrayList<>();
    for (CapturePlan c : captures) {
      switch (c.kind()) {
        case Goroutines -> {
          for (int k = 1; k <= c.count(); k++) {
            artifacts.add(new PlannedArtifact("goroutines-" + k + ".json", c.kind(), c.index(), "application/json"));
            if (c.source() == Source.Pprof) {
              artifacts.add(new PlannedArtifact("goroutines-" + k + ".pb.gz", c.kind(), c.index(), "application/octet-stream"));
            }
          }
          if (c.count() > 1) {
            artifacts.add(new PlannedArtifact("goroutines-diff.json", c.kind(), c.index(), "application/json"));
          }
        }
        case TraceStacks -> {
          artifacts.add(new PlannedArtifact("trace-stacks.json", c.kind(), c.index(), "application/json"));
          if (c.source() == Source.Pprof) {
            artifacts.add(new PlannedArtifact("trace-stacks.pb.gz", c.kind(), c.index(), "application/octet-stream"));
          }
        }
        case Snapshot -> artifacts.add(
            new PlannedArtifact("snapshot-" + c.index() + ".json", c.kind(), c.index(), "application/json"));
        case ExecutionTrace -> {
          artifacts.add(new PlannedArtifact(EXECUTION_TRACE, c.kind(), c.index(), "application/octet-stream"));
          artifacts.add(new PlannedArtifact(EXECUTION_TRACE_SUMMARY, c.kind(), c.index(), "application/json"));
        }
        case RuntimeHealth -> artifacts.add(
            new PlannedArtifact(RUNTIME_HEALTH, c.kind(), c.index(), "application/json"));
        case Heap -> {
          if (c.count() > 1) {
            for (int k = 1; k <= c.count(); k++) {
              artifacts.add(new PlannedArtifact("heap-" + k + ".pb.gz", c.kind(), c.index(), "application/octet-stream"));
            }
            artifacts.add(new PlannedArtifact("heap-growth.pb.gz", c.kind(), c.index(), "application/octet-stream"));
            artifacts.add(new PlannedArtifact("heap-growth.html", c.kind(), c.index(), "text/html; charset=utf-8"));
          } else {
            profileArtifacts(artifacts, c);
          }
        }
        case GoroutineLeaks -> {
          artifacts.add(new PlannedArtifact(LEAKS_REPORT, c.kind(), c.index(), "application/json"));
          artifacts.add(new PlannedArtifact(LEAKS_PROFILE, c.kind(), c.index(), "application/octet-stream"));
        }
        default -> profileArtifacts(artifacts, c);
      }
    }
    artifacts.add(new PlannedArtifact(REPORT, null, -1, "application/json"));
    return artifacts;
  }

  /** A profile and its flame graph. */
  private static void profileArtifacts(List<PlannedArtifact> artifacts, CapturePlan c) {
    String base = c.kind() == CaptureKindName.CPUProfile ? "cpu" : c.kind().name().toLowerCase();
    artifacts.add(new PlannedArtifact(base + ".pb.gz", c.kind(), c.index(), "application/octet-stream"));
    artifacts.add(new PlannedArtifact(base + ".html", c.kind(), c.index(), "text/html; charset=utf-8"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }
}
