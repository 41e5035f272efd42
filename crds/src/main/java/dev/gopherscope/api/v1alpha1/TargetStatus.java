package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** The state of one target pod, reported by its sidecar and the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetStatus {

  @Size(max = 253)
  @JsonPropertyDescription("The target pod.")
  private String pod;

  @Size(max = 63)
  @JsonPropertyDescription("The debugged container.")
  private String container;

  @Size(max = 63)
  @JsonPropertyDescription("The ephemeral container injected for this session. It stays in the pod after the session (Kubernetes cannot remove ephemeral containers) and exits when done.")
  private String debuggerContainer;

  @JsonPropertyDescription("The debugged process id, as seen in the pod's process namespace.")
  private Integer pid;

  @Size(max = 32)
  @JsonPropertyDescription("The Go version the target binary was built with.")
  private String goVersion;

  @JsonPropertyDescription("Pending, Injected, Attached, Capturing, Uploading, Done or Failed.")
  private TargetPhase phase;

  @JsonPropertyDescription("The longest time, in ms, one capture halted this target.")
  private Long pausedMs;

  @JsonPropertyDescription("Captures finished on this target.")
  private Integer capturesDone;

  @Size(max = 512)
  @JsonPropertyDescription("What happened last, or why this target failed.")
  private String message;

  @Size(max = 64)
  @JsonPropertyDescription("When the sidecar last reported (RFC 3339).")
  private String lastReportTime;

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getContainer() {
    return container;
  }

  public void setContainer(String container) {
    this.container = container;
  }

  public String getDebuggerContainer() {
    return debuggerContainer;
  }

  public void setDebuggerContainer(String debuggerContainer) {
    this.debuggerContainer = debuggerContainer;
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

  public TargetPhase getPhase() {
    return phase;
  }

  public void setPhase(TargetPhase phase) {
    this.phase = phase;
  }

  public Long getPausedMs() {
    return pausedMs;
  }

  public void setPausedMs(Long pausedMs) {
    this.pausedMs = pausedMs;
  }

  public Integer getCapturesDone() {
    return capturesDone;
  }

  public void setCapturesDone(Integer capturesDone) {
    this.capturesDone = capturesDone;
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
}
