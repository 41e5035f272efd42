package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** How a target's trigger fared, as its sidecar reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerReport {

  @JsonPropertyDescription("Armed (watching), Fired, NeverFired (the session's time ran out) or Failed (it could "
      + "not watch: the reason says why).")
  private TriggerState state;

  @JsonPropertyDescription("Polls so far (breakpoint trigger: stops at the location).")
  private Long polls;

  @JsonPropertyDescription("The last value read: goroutines, heap bytes in use, or goroutines carrying the labels.")
  private Long value;

  @JsonPropertyDescription("The highest value read while armed.")
  private Long peak;

  @JsonPropertyDescription("The longest one poll took, in ms (the target serves it; the interval stretches to keep "
      + "polling under 2% of the time).")
  private Long slowestPollMs;

  @Size(max = 32)
  @JsonPropertyDescription("When the trigger fired (RFC 3339).")
  private String firedTime;

  public TriggerState getState() {
    return state;
  }

  public void setState(TriggerState state) {
    this.state = state;
  }

  public Long getPolls() {
    return polls;
  }

  public void setPolls(Long polls) {
    this.polls = polls;
  }

  public Long getValue() {
    return value;
  }

  public void setValue(Long value) {
    this.value = value;
  }

  public Long getPeak() {
    return peak;
  }

  public void setPeak(Long peak) {
    this.peak = peak;
  }

  public Long getSlowestPollMs() {
    return slowestPollMs;
  }

  public void setSlowestPollMs(Long slowestPollMs) {
    this.slowestPollMs = slowestPollMs;
  }

  public String getFiredTime() {
    return firedTime;
  }

  public void setFiredTime(String firedTime) {
    this.firedTime = firedTime;
  }
}
