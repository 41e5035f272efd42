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

  @Size(max = 7)
  @JsonPropertyDescription("The largest goroutine groups by stack (every group is in the goroutines artifacts).")
  private List<StackGroupSummary> topGroups;

  @Size(max = 8)
  @JsonPropertyDescription("Traces found in goroutine labels, most goroutines first.")
  private List<TraceStackSummary> traceStacks;

  @Size(max = 5)
  @JsonPropertyDescription("Goroutines that look leaked: proven by the garbage collector (GoroutineLeaks, where the "
      + "app serves Go's goroutineleak profile) or stack groups that grew in every snapshot.")
  private List<LeakSuspect> leakSuspects;

  @JsonPropertyDescription("ExecutionTrace: what the traces show, merged over targets.")
  private ExecutionTraceResult executionTrace;

  @Size(max = 5)
  @JsonPropertyDescription("RuntimeHealth: one entry per target, the longest GC pauses (p99) first; every "
      + "target's figures are in its runtime-health.json artifact.")
  private List<RuntimeHealthResult> runtimeHealth;

  @Size(max = 5)
  @JsonPropertyDescription("Heap: the stacks whose in-use heap grew most from the first snapshot to the last.")
  private List<HeapGrowthSummary> heapGrowth;

  @Size(max = 4)
  @JsonPropertyDescription("Block and Mutex: the profiling rates switched on in place, per pod, and whether they were "
      + "put back (the first 4; each pod's report.json has its own).")
  private List<ProfilingRateSummary> profilingRates;

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

  public List<HeapGrowthSummary> getHeapGrowth() {
    return heapGrowth;
  }

  public void setHeapGrowth(List<HeapGrowthSummary> heapGrowth) {
    this.heapGrowth = heapGrowth;
  }

  public List<ProfilingRateSummary> getProfilingRates() {
    return profilingRates;
  }

  public void setProfilingRates(List<ProfilingRateSummary> profilingRates) {
    this.profilingRates = profilingRates;
  }
}
