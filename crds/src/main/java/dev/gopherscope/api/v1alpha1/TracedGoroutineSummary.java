package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** How one goroutine spent an execution trace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TracedGoroutineSummary {

  @Size(max = 253)
  @JsonPropertyDescription("The pod it runs in.")
  private String pod;

  @JsonPropertyDescription("The goroutine id (as in go tool trace and goroutine dumps).")
  private Long id;

  @JsonPropertyDescription("Time running on a CPU, in ms.")
  private Double runningMs;

  @JsonPropertyDescription("Time ready to run but waiting for a CPU (scheduler latency), in ms.")
  private Double runnableMs;

  @JsonPropertyDescription("Time in system calls, in ms.")
  private Double syscallMs;

  @JsonPropertyDescription("Time blocked (channel, lock, network, sleep, select, ...), in ms.")
  private Double blockedMs;

  @Size(max = 128)
  @JsonPropertyDescription("Its longest wait: the reason and the innermost frame outside the runtime, e.g. 'chan "
      + "receive at main.waitOnChannel'.")
  private String blockedOn;

  @Size(max = 3)
  @JsonPropertyDescription("Innermost frames of the program's own code (not the runtime's or the standard "
      + "library's, unless there are no others) in the last stack the trace recorded for it.")
  private List<@Size(max = 128) String> frames;

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public Long getId() {
    return id;
  }

  public void setId(Long id) {
    this.id = id;
  }

  public Double getRunningMs() {
    return runningMs;
  }

  public void setRunningMs(Double runningMs) {
    this.runningMs = runningMs;
  }

  public Double getRunnableMs() {
    return runnableMs;
  }

  public void setRunnableMs(Double runnableMs) {
    this.runnableMs = runnableMs;
  }

  public Double getSyscallMs() {
    return syscallMs;
  }

  public void setSyscallMs(Double syscallMs) {
    this.syscallMs = syscallMs;
  }

  public Double getBlockedMs() {
    return blockedMs;
  }

  public void setBlockedMs(Double blockedMs) {
    this.blockedMs = blockedMs;
  }

  public String getBlockedOn() {
    return blockedOn;
  }

  public void setBlockedOn(String blockedOn) {
    this.blockedOn = blockedOn;
  }

  public List<@Size(max = 128) String> getFrames() {
    return frames;
  }

  public void setFrames(List<@Size(max = 128) String> frames) {
    this.frames = frames;
  }
}
