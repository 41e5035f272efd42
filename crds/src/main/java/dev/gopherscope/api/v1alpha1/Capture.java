package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One capture. Options sit beside {@code kind} (as in {@code {kind: CPUProfile, duration: 30s}}),
 * and each option is accepted only by the kinds it means something to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.kind != 'Snapshot' || has(self.location)",
    message = "a Snapshot capture needs a location, e.g. main.handleCheckout or handler.go:42")
@ValidationRule(value = "self.kind == 'Snapshot' || !(has(self.location) || has(self.condition) || has(self.maxHits) || has(self.loadArgs) || has(self.loadLocals))",
    message = "location, condition, maxHits, loadArgs and loadLocals apply only to Snapshot captures")
@ValidationRule(value = "self.kind in ['CPUProfile', 'Block', 'Mutex', 'ExecutionTrace', 'RuntimeHealth'] || !has(self.duration)",
    message = "duration applies only to CPUProfile, Block, Mutex, ExecutionTrace and RuntimeHealth captures")
@ValidationRule(value = "self.kind != 'ExecutionTrace' || !has(self.duration) || duration(self.duration) <= duration('60s')",
    message = "an ExecutionTrace lasts at most 60s: a busy service writes megabytes of trace a second")
@ValidationRule(value = "self.kind == 'Block' || !has(self.blockProfileRate)",
    message = "blockProfileRate applies only to Block captures")
@ValidationRule(value = "self.kind == 'Mutex' || !has(self.mutexProfileFraction)",
    message = "mutexProfileFraction applies only to Mutex captures")
@ValidationRule(value = "self.kind in ['Goroutines', 'Heap', 'GoroutineLeaks'] || !(has(self.every) || has(self.count))",
    message = "every and count apply only to Goroutines, Heap and GoroutineLeaks captures")
@ValidationRule(value = "self.kind in ['Goroutines', 'TraceStacks'] || !has(self.source)",
    message = "source applies only to Goroutines and TraceStacks captures")
public class Capture {

  @Required
  @JsonPropertyDescription("Goroutines, TraceStacks, CPUProfile, Heap, Allocs, Block, Mutex, Snapshot, "
      + "ExecutionTrace, RuntimeHealth or GoroutineLeaks.")
  private CaptureKind kind;

  @JsonPropertyDescription("Goroutines, TraceStacks: Auto (pprof if spec.pprof is set, else Delve), Pprof or Delve.")
  private CaptureSource source;

  @Size(max = 32)
  @Pattern(DebugSessionSpec.DURATION_PATTERN)
  @ValidationRule(value = "duration(self) >= duration('1s') && duration(self) <= duration('10m')",
      message = "every must be between 1s and 10m")
  @JsonPropertyDescription("Goroutines, Heap, GoroutineLeaks: time between snapshots when count > 1 (default 10s).")
  private String every;

  @Min(1)
  @Max(60)
  @JsonPropertyDescription("Goroutines: number of snapshots, 1 to 60 (default 1); with 2 or more the status shows "
      + "what grew and leak suspects. Heap: with 2 or more, the in-use growth per stack from the first snapshot to the "
      + "last (as go tool pprof -base), its top growers in the status and a diff flame graph. GoroutineLeaks: "
      + "snapshots for the growth heuristic used where the app cannot prove leaks (default 3).")
  private Integer count;

  @Size(max = 32)
  @Pattern(DebugSessionSpec.DURATION_PATTERN)
  @ValidationRule(value = "duration(self) >= duration('1s') && duration(self) <= duration('5m')",
      message = "duration must be between 1s and 5m")
  @JsonPropertyDescription("CPUProfile: how long to sample (default 10s). Block, Mutex: profile only what this "
      + "window adds (a delta profile; default with a rate to switch on: 10s; without a duration, the counts since the "
      + "process started). ExecutionTrace: how long to trace (default 5s, at most 60s). RuntimeHealth: the interval "
      + "the figures cover (default 30s).")
  private String duration;

  @Min(1)
  @Max(1_000_000_000)
  @JsonPropertyDescription("Block: switch block profiling on in place for the capture's duration, at this rate in "
      + "nanoseconds as runtime.SetBlockProfileRate takes it (1 records every blocking event), through the debugger "
      + "(needs SYS_PTRACE; one short halt each way, within pauseBudget); the app's own rate is put back afterwards, "
      + "by the debugger's guard if the debugger or the sidecar dies.")
  private Long blockProfileRate;

  @Min(1)
  @Max(1_000_000)
  @JsonPropertyDescription("Mutex: switch mutex profiling on in place for the capture's duration, sampling 1 in this "
      + "many contention events as runtime.SetMutexProfileFraction takes it (1 records every one), through the "
      + "debugger (needs SYS_PTRACE; one short halt each way, within pauseBudget); the app's own fraction is put back "
      + "afterwards, by the debugger's guard if the debugger or the sidecar dies.")
  private Long mutexProfileFraction;

  @Size(max = 512)
  @JsonPropertyDescription("Snapshot: where to stop, as Delve reads it: a function (main.handleCheckout) or file:line.")
  private String location;

  @Size(max = 1024)
  @JsonPropertyDescription("Snapshot: a Delve expression; only hits where it is true are recorded.")
  private String condition;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Snapshot: hits to record before removing the breakpoint, 1 to 100 (default 1).")
  private Integer maxHits;

  @JsonPropertyDescription("Snapshot: record the function's arguments (default true).")
  private Boolean loadArgs;

  @JsonPropertyDescription("Snapshot: record local variables (default false).")
  private Boolean loadLocals;

  public CaptureKind getKind() {
    return kind;
  }

  public void setKind(CaptureKind kind) {
    this.kind = kind;
  }

  public CaptureSource getSource() {
    return source;
  }

  public void setSource(CaptureSource source) {
    this.source = source;
  }

  public String getEvery() {
    return every;
  }

  public void setEvery(String every) {
    this.every = every;
  }

  public Integer getCount() {
    return count;
  }

  public void setCount(Integer count) {
    this.count = count;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  public Long getBlockProfileRate() {
    return blockProfileRate;
  }

  public void setBlockProfileRate(Long blockProfileRate) {
    this.blockProfileRate = blockProfileRate;
  }

  public Long getMutexProfileFraction() {
    return mutexProfileFraction;
  }

  public void setMutexProfileFraction(Long mutexProfileFraction) {
    this.mutexProfileFraction = mutexProfileFraction;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getCondition() {
    return condition;
  }

  public void setCondition(String condition) {
    this.condition = condition;
  }

  public Integer getMaxHits() {
    return maxHits;
  }

  public void setMaxHits(Integer maxHits) {
    this.maxHits = maxHits;
  }

  public Boolean getLoadArgs() {
    return loadArgs;
  }

  public void setLoadArgs(Boolean loadArgs) {
    this.loadArgs = loadArgs;
  }

  public Boolean getLoadLocals() {
    return loadLocals;
  }

  public void setLoadLocals(Boolean loadLocals) {
    this.loadLocals = loadLocals;
  }
}
