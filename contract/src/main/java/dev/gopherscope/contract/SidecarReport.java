package dev.gopherscope.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The full account of one target, uploaded as {@code report.json}: the operator reads it to fill
 * the session's bounded results and artifact list. Anything large stays here, not in the status.
 *
 * @param attachPausedMs the longest one attach of dlv halted the target (no capture's pause budget
 *     covers it; spec.attachPauseBudget does); absent when dlv was never attached
 * @param attaches how many times dlv was started to attach, absent when never
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SidecarReport(
    String pod,
    Integer pid,
    String goVersion,
    Long attachPausedMs,
    Integer attaches,
    List<CaptureOutcome> captures,
    List<ArtifactRecord> artifacts) {

  /** How one capture went. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CaptureOutcome(
      int index,
      String kind,
      String source,
      boolean ok,
      long pausedMs,
      boolean budgetExceeded,
      String message,
      Long goroutines,
      Long matchedGoroutines,
      List<StackGroup> topGroups,
      List<TraceStacks> traceStacks,
      List<LeakSuspect> leakSuspects,
      ExecutionTraceSummary executionTrace,
      RuntimeHealthSummary runtimeHealth,
      List<HeapGrowth> heapGrowth,
      RateSwitch rateSwitch) {

    /** An outcome of a kind with none of the kind-specific figures below leakSuspects. */
    public CaptureOutcome(int index, String kind, String source, boolean ok, long pausedMs, boolean budgetExceeded,
        String message, Long goroutines, Long matchedGoroutines, List<StackGroup> topGroups,
        List<TraceStacks> traceStacks, List<LeakSuspect> leakSuspects) {
      this(index, kind, source, ok, pausedMs, budgetExceeded, message, goroutines, matchedGoroutines, topGroups,
          traceStacks, leakSuspects, null, null, null, null);
    }

    /** The same outcome with another verdict and message, every figure kept. */
    public CaptureOutcome withVerdict(boolean succeeded, String text) {
      return new CaptureOutcome(index, kind, source, succeeded, pausedMs, budgetExceeded, text, goroutines,
          matchedGoroutines, topGroups, traceStacks, leakSuspects, executionTrace, runtimeHealth, heapGrowth,
          rateSwitch);
    }
  }

  /**
   * A profiling rate a Block or Mutex capture switched on in place: the runtime variable, the value
   * it held and was put back to, the value set, and who put it back ("Delve", "dlv's guard").
   */
  public record RateSwitch(String variable, long previous, long set, boolean restored, String restoredBy) {
  }

  /** How many intervals (pauses, waits) and how long, in microseconds; percentiles are nearest-rank. */
  public record Pauses(long count, long totalUs, long maxUs, long p50Us, long p99Us) {
  }

  /**
   * What one execution trace shows.
   *
   * @param goroutinesAlive goroutines alive when the trace ended
   * @param matched goroutines of the session's filter found in the trace (null without a filter)
   * @param ambiguous goroutines whose stack was shared by goroutines inside and outside the filter,
   *     so they could not be told apart and are left out
   * @param goroutines the filter's goroutines, longest-running first, or without a filter the
   *     longest-running goroutines of the process
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ExecutionTraceSummary(long durationMs, int gcCycles, Pauses gcPauses, Pauses stwPauses,
      Pauses schedulerLatency, int goroutinesAlive, Integer matched, Integer ambiguous,
      List<TracedGoroutine> goroutines) {
  }

  /**
   * How one goroutine spent the traced time, in milliseconds.
   *
   * @param blockedOn the longest wait: its reason and the innermost frame outside the runtime
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TracedGoroutine(long id, double runningMs, double runnableMs, double syscallMs, double blockedMs,
      String blockedOn, List<String> frames) {
    public TracedGoroutine {
      blockedOn = cut(blockedOn, MAX_FRAME);
      frames = boundedFrames(frames);
    }
  }

  /**
   * The runtime's health over an interval; null figures are those no source gave.
   *
   * @param gcPauses the stop-the-world pause of each GC cycle in the interval (MemStats.PauseNs)
   * @param heapInuseBytes MemStats.HeapInuse at the end
   * @param heapGoalBytes MemStats.NextGC at the end: the heap size the next GC aims at
   * @param schedulerLatency how long goroutines waited runnable, from a short execution trace at
   *     the end of the interval
   * @param sources which endpoint gave which figure
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RuntimeHealthSummary(long intervalMs, long gcCycles, double gcPerMinute, Pauses gcPauses,
      long heapInuseBytes, long heapGoalBytes, Long goroutines, Long gomaxprocs, Double goroutinesPerProc,
      Pauses schedulerLatency, String sources) {
  }

  /** At most this many labels per group, keys and values cut to the status schema's limits. */
  public static final int MAX_LABELS = 8;
  public static final int MAX_LABEL_KEY = 128;
  public static final int MAX_LABEL_VALUE = 256;
  /** Function names come from the binary; this only guards against absurd ones. */
  public static final int MAX_FRAME = 1024;

  /**
   * Goroutines sharing one stack. Label values come from the target's requests (any client can
   * put 100 KB of anything into a version-01 traceparent), so they are cut here, where every
   * report is built and read; the full values stay in the .pb.gz artifacts.
   */
  public record StackGroup(long count, List<String> frames, Map<String, String> labels) {
    public StackGroup {
      frames = boundedFrames(frames);
      labels = boundedLabels(labels);
    }
  }

  /** The goroutines serving one trace on this target. */
  public record TraceStacks(String traceId, int goroutines, int blocked, List<String> topFrames) {
    public TraceStacks {
      traceId = cut(traceId, 64);
      topFrames = boundedFrames(topFrames);
    }
  }

  /** How a leak suspect was found. */
  public static final String LEAK_PROVEN = "Proven";
  public static final String LEAK_GROWTH = "Growth";

  /**
   * Goroutines that look leaked: a group that grew in every snapshot ({@link #LEAK_GROWTH}, with
   * its size in each), or goroutines the garbage collector proved can never run again
   * ({@link #LEAK_PROVEN}, Go's goroutineleak profile; {@code counts} holds their one count).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LeakSuspect(List<String> frames, List<Long> counts, String method, Map<String, String> labels) {
    public LeakSuspect {
      frames = boundedFrames(frames);
      labels = boundedLabels(labels);
    }

    /** A group that grew in every snapshot. */
    public LeakSuspect(List<String> frames, List<Long> counts) {
      this(frames, counts, LEAK_GROWTH, null);
    }
  }

  /**
   * One stack's in-use heap growth from a Heap capture's first snapshot to its last (negative:
   * it shrank).
   */
  public record HeapGrowth(List<String> frames, long bytes, long objects) {
    public HeapGrowth {
      frames = boundedFrames(frames);
    }
  }

  private static List<String> boundedFrames(List<String> frames) {
    return frames == null ? null : frames.stream().map(f -> cut(f, MAX_FRAME)).toList();
  }

  private static Map<String, String> boundedLabels(Map<String, String> labels) {
    if (labels == null) {
      return null;
    }
    Map<String, String> bounded = new LinkedHashMap<>();
    labels.entrySet().stream().limit(MAX_LABELS)
        .forEach(e -> bounded.put(cut(e.getKey(), MAX_LABEL_KEY), cut(e.getValue(), MAX_LABEL_VALUE)));
    return bounded;
  }

  /** {@code value} cut to {@code max} characters, the last one an ellipsis when cut. */
  public static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
  }

  /** One artifact and whether it reached the object store. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ArtifactRecord(String name, String kind, long bytes, String sha256, String state, String message) {
  }
}
