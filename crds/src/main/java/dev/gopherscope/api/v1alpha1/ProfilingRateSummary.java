package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** A profiling rate a Block or Mutex capture switched on in place, and whether it was put back. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProfilingRateSummary {

  @Size(max = 253)
  @JsonPropertyDescription("The pod.")
  private String pod;

  @Size(max = 32)
  @JsonPropertyDescription("The runtime variable: runtime.blockprofilerate (in CPU ticks) or runtime.mutexprofilerate.")
  private String variable;

  @JsonPropertyDescription("The value set for the capture's duration.")
  private Long rate;

  @JsonPropertyDescription("The value the app had, which was put back afterwards.")
  private Long previous;

  @JsonPropertyDescription("Whether the target's memory held the previous value again afterwards.")
  private Boolean restored;

  @Size(max = 32)
  @JsonPropertyDescription("Who put it back: Delve, or the debugger's guard when the debugger was gone.")
  private String restoredBy;

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getVariable() {
    return variable;
  }

  public void setVariable(String variable) {
    this.variable = variable;
  }

  public Long getRate() {
    return rate;
  }

  public void setRate(Long rate) {
    this.rate = rate;
  }

  public Long getPrevious() {
    return previous;
  }

  public void setPrevious(Long previous) {
    this.previous = previous;
  }

  public Boolean getRestored() {
    return restored;
  }

  public void setRestored(Boolean restored) {
    this.restored = restored;
  }

  public String getRestoredBy() {
    return restoredBy;
  }

  public void setRestoredBy(String restoredBy) {
    this.restoredBy = restoredBy;
  }
}
