package dev.gopherscope.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one sidecar needs to run its part of a session, already validated and with
 * defaults applied: the sidecar interprets no DebugSession YAML itself in a pod.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SidecarPlan(
    SessionRef session,
    String pod,
    String container,
    String processName,
    PprofTarget pprof,
    Filter filter,
    List<CapturePlan> captures,
    long pauseBudgetMs,
    long attachPauseBudgetMs,
    Instant deadline,
    List<String> redact,
    List<PlannedArtifact> artifacts,
    DebugInfoLookup debugInfo,
    TriggerPlan trigger) {

  /**
   * What the sidecar waits for before its captures (spec.trigger): exactly one condition.
   *
   * @param threshold GoroutinesAbove: a goroutine count; HeapInUseAbove: bytes
   * @param labels LabelAppears: the labels a goroutine must carry
   * @param pollIntervalMs the least time between polls (the sidecar stretches it for slow polls)
   * @param filterByHitLabels Breakpoint: the captures keep only goroutines with the hit's labels
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TriggerPlan(TriggerKind kind, long threshold, Map<String, String> labels, String location,
      String condition, long pollIntervalMs, boolean filterByHitLabels) {

    /** The condition in words: {@code goroutines above 500}, {@code a hit at main.f where x > 1}. */
    public String describe() {
      return switch (kind) {
        case GoroutinesAbove -> "goroutines above " + threshold;
        case HeapInUseAbove -> "heap in use above " + threshold + " bytes";
        case LabelAppears -> "a goroutine labelled " + labels;
        case Breakpoint -> "a hit at " + location + (condition == null || condition.isBlank() ? ""
            : " where " + condition);
      };
    }
  }

  /** The trigger conditions, as spec.trigger names them. */
  public enum TriggerKind {
    GoroutinesAbove, HeapInUseAbove, LabelAppears, Breakpoint
  }

  /**
   * Where a sidecar gets debug info for a stripped target (see {@link PublishedDebugInfo}): it
   * names the build ID it needs in its report, and the operator answers in this Secret, which the
   * session's token may read, with a presigned GET URL or word that nothing is published.
   *
   * @param secret the Secret's name, in the session's namespace
   * @param location where debug info is published, for messages: {@code s3://bucket/debuginfo/}
   */
  public record DebugInfoLookup(String secret, String location) {
  }

  /** This plan, with debug info for stripped targets to be had from {@code source}. */
  public SidecarPlan withDebugInfo(DebugInfoLookup source) {
    return new SidecarPlan(session, pod, container, processName, pprof, filter, captures, pauseBudgetMs,
        attachPauseBudgetMs, deadline, redact, artifacts, source, trigger);
  }

  /** Which session this plan belongs to. */
  public record SessionRef(String namespace, String name, String uid) {
  }

  /** The app's net/http/pprof endpoint on the pod's loopback. */
  public record PprofTarget(int port, String path) {
  }

  /**
   * Which goroutines are kept: all labels match exactly, all label keys exist, and, when
   * {@code traceId} is set (32 lowercase hex), the goroutine belongs to that trace.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Filter(Map<String, String> labels, List<String> labelKeys, String traceId) {

    public static Filter none() {
      return new Filter(Map.of(), List.of(), null);
    }
  }

  /**
   * One capture with its defaults applied; options that do not apply to the kind are zero/null.
   *
   * @param profileRate Block: the block profile rate to switch on, in ns as
   *     {@code runtime.SetBlockProfileRate} takes it; Mutex: the fraction, as
   *     {@code runtime.SetMutexProfileFraction} takes it; 0 leaves the app's own rate alone
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CapturePlan(
      int index,
      CaptureKindName kind,
      Source source,
      long everyMs,
      int count,
      long durationMs,
      String location,
      String condition,
      int maxHits,
      boolean loadArgs,
      boolean loadLocals,
      long profileRate) {

    /**
     * True when this capture drives dlv: a breakpoint snapshot, goroutines read through Delve, or a
     * profile whose rate is switched on in place.
     */
    public boolean usesDelve() {
      return kind == CaptureKindName.Snapshot || source == Source.Delve || profileRate > 0;
    }
  }

  /** The capture kinds, spelled as in the CRD. */
  public enum CaptureKindName {
    Goroutines, TraceStacks, CPUProfile, Heap, Allocs, Block, Mutex, Snapshot, ExecutionTrace, RuntimeHealth,
    GoroutineLeaks;

    /** Kinds served only by the app's pprof endpoint. */
    public boolean needsPprof() {
      return this == CPUProfile || this == Heap || this == Allocs || this == Block || this == Mutex
          || this == ExecutionTrace || this == RuntimeHealth;
    }
  }

  /** Where goroutine data comes from; Auto is resolved by the planner. */
  public enum Source {
    Pprof, Delve
  }

  /** An artifact the sidecar may upload; the operator presigned a URL for each. */
  public record PlannedArtifact(String name, CaptureKindName kind, int captureIndex, String contentType) {
  }

  /** True when any capture, or the trigger, needs dlv (and so SYS_PTRACE). */
  public boolean needsDelve() {
    return captures.stream().anyMatch(CapturePlan::usesDelve)
        || (trigger != null && trigger.kind() == TriggerKind.Breakpoint);
  }
}
