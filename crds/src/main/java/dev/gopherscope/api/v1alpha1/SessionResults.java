package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Bounded results over all targets; full data is in the artifacts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SessionResults {

  @JsonPropertyDescription("Goroutines seen in the last snapshot, over all targets.")
  private Long goroutines;

  @JsonPropertyDescription("Of those, the ones the filter kept.")
  private Long matchedGoroutines;

  @Size(max = 8)
  @JsonPropertyDescription("The largest goroutine groups by stack.")
  private List<StackGroupSummary> topGroups;

  @Size(max = 8)
  @JsonPropertyDescription("Traces found in goroutine labels, most goroutines first.")
  private List<TraceStackSummary> traceStacks;

  @Size(max = 5)
  @JsonPropertyDescription("Stack groups that grew in every snapshot.")
  private List<LeakSuspect> leakSuspects;

  @JsonPropertyDescription("ExecutionTrace: what the traces show, merged over targets.")
  private ExecutionTraceResult executionTrace;

  @Size(max = 5)
  @JsonPropertyDescription("RuntimeHealth: one entry per target, the longest GC pauses (p99) first; every "
      + "target's figures are in its runtime-health.json artifact.")
  private List<RuntimeHealthResult> runtimeHealth;

  public Long getGoroutines() {
    return goroutines;
  }

  public void setGoroutines(Long goroutines) {
    this.goroutines = goroutines;
  }

  public Long getMatchedGoroutines() {
    return matchedGoroutines;
  }

  public void setMatchedGoroutines(Long matchedGoroutines) {
    this.matchedGoroutines = matchedGoroutines;
  }

  public List<StackGroupSummary> getTopGroups() {
    return topGroups;
  }

  public void setTopGroups(List<StackGroupSummary> topGroups) {
    this.topGroups = topGroups;
  }

  public List<TraceStackSummary> getTraceStacks() {
    return traceStacks;
  }

  public void setTraceStacks(List<TraceStackSummary> traceStacks) {
    this.traceStacks = traceStacks;
  }

  public List<LeakSuspect> getLeakSuspects() {
    return leakSuspects;
  }

  public void setLeakSuspects(List<LeakSuspect> leakSuspects) {
    this.leakSuspects = leakSuspects;
  }

  public ExecutionTraceResult getExecutionTrace() {
    return executionTrace;
  }

  public void setExecutionTrace(ExecutionTraceResult executionTrace) {
    this.executionTrace = executionTrace;
  }

  public List<RuntimeHealthResult> getRuntimeHealth() {
    return runtimeHealth;
  }

  public void setRuntimeHealth(List<RuntimeHealthResult> runtimeHealth) {
    this.runtimeHealth = runtimeHealth;
  }
}
