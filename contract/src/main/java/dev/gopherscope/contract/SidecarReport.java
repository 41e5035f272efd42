package dev.gopherscope.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The full account of one target, uploaded as {@code report.json}: the operator reads it to fill
 * the session's bounded results and artifact list. Anything large stays here, not in the status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SidecarReport(
    String pod,
    Integer pid,
    String goVersion,
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
      List<LeakSuspect> leakSuspects) {
  }

  /** Goroutines sharing one stack. */
  public record StackGroup(long count, List<String> frames, Map<String, String> labels) {
  }

  /** The goroutines serving one trace on this target. */
  public record TraceStacks(String traceId, int goroutines, int blocked, List<String> topFrames) {
  }

  /** A group that grew in every snapshot. */
  public record LeakSuspect(List<String> frames, List<Long> counts) {
  }

  /** One artifact and whether it reached the object store. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ArtifactRecord(String name, String kind, long bytes, String sha256, String state, String message) {
  }
}
