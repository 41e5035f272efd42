package dev.gopherscope.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a sidecar writes into its own target's entry of the session status ({@code
 * status.targets[pod=X].report}) by server-side apply under its own field manager, so sidecars of
 * several pods and the operator never overwrite each other. Mirrors the CRD's TargetReport.
 *
 * @param phase Attached, Armed, Capturing, Uploading, Done or Failed
 * @param pausedMs the longest one capture, or one attach, halted the target
 * @param attachPausedMs the longest one attach of dlv halted the target (dlv loading debug info);
 *     absent when dlv was never attached
 * @param attaches how many times dlv was attached (more than once after a watchdog kill)
 * @param reason CamelCase reason when Failed (e.g. NotAGoProcess, PtraceNotAllowed)
 * @param debugInfoBuildId the build ID of a stripped target whose published debug info the
 *     sidecar asks for; the operator answers in the session's debug-info Secret
 *     ({@link PublishedDebugInfo})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetReport(
    String phase,
    Integer pid,
    String goVersion,
    Long pausedMs,
    Long attachPausedMs,
    Integer attaches,
    Integer capturesDone,
    Integer capturesPlanned,
    Integer artifactsUploaded,
    Integer artifactsFailed,
    String reason,
    String message,
    String lastReportTime,
    String debugInfoBuildId,
    TriggerReport trigger) {

  /**
   * How the session's trigger fares on this target (mirrors the CRD's TriggerReport).
   *
   * @param state Armed, Fired, NeverFired or Failed
   * @param value the last value read (goroutines, heap bytes in use, labelled goroutines)
   * @param slowestPollMs the longest one poll took
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TriggerReport(String state, Long polls, Long value, Long peak, Long slowestPollMs,
      String firedTime) {
  }

  /** A report without a trigger. */
  public TargetReport(String phase, Integer pid, String goVersion, Long pausedMs, Long attachPausedMs, Integer attaches,
      Integer capturesDone, Integer capturesPlanned, Integer artifactsUploaded, Integer artifactsFailed, String reason,
      String message, String lastReportTime, String debugInfoBuildId) {
    this(phase, pid, goVersion, pausedMs, attachPausedMs, attaches, capturesDone, capturesPlanned, artifactsUploaded,
        artifactsFailed, reason, message, lastReportTime, debugInfoBuildId, null);
  }

  /** A report that asks for no debug info. */
  public TargetReport(String phase, Integer pid, String goVersion, Long pausedMs, Long attachPausedMs, Integer attaches,
      Integer capturesDone, Integer capturesPlanned, Integer artifactsUploaded, Integer artifactsFailed, String reason,
      String message, String lastReportTime) {
    this(phase, pid, goVersion, pausedMs, attachPausedMs, attaches, capturesDone, capturesPlanned, artifactsUploaded,
        artifactsFailed, reason, message, lastReportTime, null, null);
  }
}
