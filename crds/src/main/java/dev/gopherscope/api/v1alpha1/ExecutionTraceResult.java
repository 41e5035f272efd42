package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * What the execution traces of all targets show, merged; each target's trace is its trace.out
 * artifact and its full summary trace-summary.json.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExecutionTraceResult {

  @JsonPropertyDescription("Targets traced.")
  private Integer targets;

  @JsonPropertyDescription("How long the longest trace covers, in ms.")
  private Long durationMs;

  @JsonPropertyDescription("GC cycles that began during the traces, summed over targets.")
  private Integer gcCycles;

  @JsonPropertyDescription("Every stop-the-world pause of the GC (two per cycle: sweep termination and mark "
      + "termination).")
  private PauseSummary gcPauses;

  @JsonPropertyDescription("Every stop-the-world pause, whatever the cause, except the goroutine profiles the sidecar "
      + "took to find the filter's goroutines.")
  private PauseSummary stwPauses;

  @JsonPropertyDescription("How long goroutines waited runnable before they ran.")
  private PauseSummary schedulerLatency;

  @JsonPropertyDescription("Goroutines alive when the traces ended, summed over targets.")
  private Integer goroutinesAlive;

  @JsonPropertyDescription("Goroutines of the session's filter found in the traces; absent without a filter.")
  private Integer matched;

  @JsonPropertyDescription("Goroutines left out because goroutines inside and outside the filter shared their stack "
      + "(execution traces carry no pprof labels, so goroutines are matched to labels by stack).")
  private Integer ambiguous;

  @Size(max = 3)
  @JsonPropertyDescription("The filter's goroutines, or without a filter all goroutines, longest-running first.")
  private List<TracedGoroutineSummary> goroutines;

  public Integer getTargets() {
    return targets;
  }

  public void setTargets(Integer targets) {
    this.targets = targets;
  }

  public Long getDurationMs() {
    return durationMs;
  }

  public void setDurationMs(Long durationMs) {
    this.durationMs = durationMs;
  }

  public Integer getGcCycles() {
    return gcCycles;
  }

  public void setGcCycles(Integer gcCycles) {
    this.gcCycles = gcCycles;
  }

  public PauseSummary getGcPauses() {
    return gcPauses;
  }

  public void setGcPauses(PauseSummary gcPauses) {
    this.gcPauses = gcPauses;
  }

  public PauseSummary getStwPauses() {
    return stwPauses;
  }

  public void setStwPauses(PauseSummary stwPauses) {
    this.stwPauses = stwPauses;
  }

  public PauseSummary getSchedulerLatency() {
    return schedulerLatency;
  }

  public void setSchedulerLatency(PauseSummary schedulerLatency) {
    this.schedulerLatency = schedulerLatency;
  }

  public Integer getGoroutinesAlive() {
    return goroutinesAlive;
  }

  public void setGoroutinesAlive(Integer goroutinesAlive) {
    this.goroutinesAlive = goroutinesAlive;
  }

  public Integer getMatched() {
    return matched;
  }

  public void setMatched(Integer matched) {
    this.matched = matched;
  }

  public Integer getAmbiguous() {
    return ambiguous;
  }

  public void setAmbiguous(Integer ambiguous) {
    this.ambiguous = ambiguous;
  }

  public List<TracedGoroutineSummary> getGoroutines() {
    return goroutines;
  }

  public void setGoroutines(List<TracedGoroutineSummary> goroutines) {
    this.goroutines = goroutines;
  }
}
