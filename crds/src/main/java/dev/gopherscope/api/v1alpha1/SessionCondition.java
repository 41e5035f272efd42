package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A metav1.Condition with the same fields and meaning, so {@code kubectl wait --for=condition=X}
 * works, but with a shorter message bound than metav1's 32 KiB, to keep the status small.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SessionCondition {

  @Required
  @Size(max = 316)
  @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
  @JsonPropertyDescription("The condition type, e.g. Ready, TargetsResolved, Injected, DebuggerAttached, Captured.")
  private String type;

  @Required
  @JsonPropertyDescription("True, False or Unknown.")
  private ConditionStatus status;

  @JsonPropertyDescription("The .metadata.generation the condition was set from.")
  private Long observedGeneration;

  @Required
  @Size(max = 64)
  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  private String lastTransitionTime;

  @Required
  @Size(min = 1, max = 128)
  @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
  @JsonPropertyDescription("A CamelCase reason, e.g. PodNotFound, PtraceNotAllowed, PauseBudgetExceeded.")
  private String reason;

  @Size(max = 1024)
  @JsonPropertyDescription("What happened and what to do about it.")
  private String message;

  /** The three values metav1.Condition allows. */
  public enum ConditionStatus {
    True,
    False,
    Unknown
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public ConditionStatus getStatus() {
    return status;
  }

  public void setStatus(ConditionStatus status) {
    this.status = status;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
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
}
