package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** The session's trigger over all its targets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerStatus {

  @JsonPropertyDescription("Armed while any target watches and none fired yet; Fired once one did; NeverFired when "
      + "the session ended without it firing anywhere; Failed when no target could watch.")
  private TriggerState state;

  @JsonPropertyDescription("Targets whose trigger fired.")
  private Integer firedTargets;

  @Size(max = 32)
  @JsonPropertyDescription("When the trigger first fired on any target (RFC 3339).")
  private String firstFiredTime;

  public TriggerState getState() {
    return state;
  }

  public void setState(TriggerState state) {
    this.state = state;
  }

  public Integer getFiredTargets() {
    return firedTargets;
  }

  public void setFiredTargets(Integer firedTargets) {
    this.firedTargets = firedTargets;
  }

  public String getFirstFiredTime() {
    return firstFiredTime;
  }

  public void setFirstFiredTime(String firstFiredTime) {
    this.firstFiredTime = firstFiredTime;
  }
}
