package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One target pod. The operator writes pod, container, debuggerContainer, phase and message; the
 * sidecar writes {@code report} under its own field manager (server-side apply on a list keyed
 * by pod), so neither overwrites the other.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetStatus {

  @Required
  @Size(max = 253)
  @JsonPropertyDescription("The target pod; the key of this list.")
  private String pod;

  @Size(max = 63)
  @JsonPropertyDescription("The debugged container.")
  private String container;

  @Size(max = 63)
  @JsonPropertyDescription("The ephemeral container injected for this session. It stays in the pod after the session (Kubernetes cannot remove ephemeral containers) and exits when done.")
  private String debuggerContainer;

  @JsonPropertyDescription("Pending, Injected, Attached, Capturing, Uploading, Done or Failed.")
  private TargetPhase phase;

  @Size(max = 128)
  @JsonPropertyDescription("Why the target is in its phase, in CamelCase (e.g. PodSecurityForbidsPtrace, SidecarNotReporting).")
  private String reason;

  @Size(max = 512)
  @JsonPropertyDescription("What happened last on this target, or why it failed.")
  private String message;

  @Size(max = 64)
  @JsonPropertyDescription("When the operator injected the debugger container (RFC 3339).")
  private String injectionTime;

  @JsonPropertyDescription("What the sidecar in this pod reported (written by the sidecar itself).")
  private TargetReport report;

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

  public TargetPhase getPhase() {
    return phase;
  }

  public void setPhase(TargetPhase phase) {
    this.phase = phase;
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

  public String getInjectionTime() {
    return injectionTime;
  }

  public void setInjectionTime(String injectionTime) {
    this.injectionTime = injectionTime;
  }

  public TargetReport getReport() {
    return report;
  }

  public void setReport(TargetReport report) {
    this.report = report;
  }
}
