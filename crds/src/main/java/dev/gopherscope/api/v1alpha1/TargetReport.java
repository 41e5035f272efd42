package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** The sidecar's own account of its target, kept small; the full report is an artifact. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetReport {

  @JsonPropertyDescription("Attached, Armed, Capturing, Uploading, Done or Failed, as the sidecar sees it.")
  private TargetPhase phase;

  @JsonPropertyDescription("The debugged process id, as seen in the pod's process namespace.")
  private Integer pid;

  @Size(max = 32)
  @JsonPropertyDescription("The Go version the target binary was built with.")
  private String goVersion;

  @JsonPropertyDescription("The longest time, in ms, one capture or one attach of the debugger halted this target.")
  private Long pausedMs;

  @JsonPropertyDescription("The longest time, in ms, one attach of the debugger halted this target while it loaded "
      + "the binary's debug info (bounded by spec.attachPauseBudget); absent when it never attached.")
  private Long attachPausedMs;

  @JsonPropertyDescription("How many times the debugger was attached: more than once when a halt overran the pause "
      + "budget and a later Delve capture attached again (at most 3).")
  private Integer attaches;

  @JsonPropertyDescription("Captures finished.")
  private Integer capturesDone;

  @JsonPropertyDescription("Captures planned.")
  private Integer capturesPlanned;

  @JsonPropertyDescription("Artifacts that reached the object store.")
  private Integer artifactsUploaded;

  @JsonPropertyDescription("Artifacts that could not be uploaded (still in the sidecar's spool).")
  private Integer artifactsFailed;

  @Size(max = 128)
  @JsonPropertyDescription("Why the target failed, in CamelCase (e.g. NotAGoProcess, PtraceNotAllowed).")
  private String reason;

  @Size(max = 512)
  @JsonPropertyDescription("The sidecar's last word.")
  private String message;

  @Size(max = 64)
  @JsonPropertyDescription("When the sidecar last reported (RFC 3339).")
  private String lastReportTime;

  @Size(max = 96)
  @JsonPropertyDescription("The build ID of a stripped target whose published debug info the debugger asked the "
      + "operator for (debuginfo/<build-id>/debuginfo in the object store; see docs/debug-info.md).")
  private String debugInfoBuildId;

  @JsonPropertyDescription("How the session's trigger fared on this target; absent without spec.trigger.")
  private TriggerReport trigger;

  public TriggerReport getTrigger() {
    return trigger;
  }

  public void setTrigger(TriggerReport trigger) {
    this.trigger = trigger;
  }

  public TargetPhase getPhase() {
    return phase;
  }

  public void setPhase(TargetPhase phase) {
    this.phase = phase;
  }

  public Integer getPid() {
    return pid;
  }

  public void setPid(Integer pid) {
    this.pid = pid;
  }

  public String getGoVersion() {
    return goVersion;
  }

  public void setGoVersion(String goVersion) {
    this.goVersion = goVersion;
  }

  public Long getPausedMs() {
    return pausedMs;
  }

  public void setPausedMs(Long pausedMs) {
    this.pausedMs = pausedMs;
  }

  public Long getAttachPausedMs() {
    return attachPausedMs;
  }

  public void setAttachPausedMs(Long attachPausedMs) {
    this.attachPausedMs = attachPausedMs;
  }

  public Integer getAttaches() {
    return attaches;
  }

  public void setAttaches(Integer attaches) {
    this.attaches = attaches;
  }

  public Integer getCapturesDone() {
    return capturesDone;
  }

  public void setCapturesDone(Integer capturesDone) {
    this.capturesDone = capturesDone;
  }

  public Integer getCapturesPlanned() {
    return capturesPlanned;
  }

  public void setCapturesPlanned(Integer capturesPlanned) {
    this.capturesPlanned = capturesPlanned;
  }

  public Integer getArtifactsUploaded() {
    return artifactsUploaded;
  }

  public void setArtifactsUploaded(Integer artifactsUploaded) {
    this.artifactsUploaded = artifactsUploaded;
  }

  public Integer getArtifactsFailed() {
    return artifactsFailed;
  }

  public void setArtifactsFailed(Integer artifactsFailed) {
    this.artifactsFailed = artifactsFailed;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastReportTime() {
    return lastReportTime;
  }

  public void setLastReportTime(String lastReportTime) {
    this.lastReportTime = lastReportTime;
  }

  public String getDebugInfoBuildId() {
    return debugInfoBuildId;
  }

  public void setDebugInfoBuildId(String debugInfoBuildId) {
    this.debugInfoBuildId = debugInfoBuildId;
  }
}
