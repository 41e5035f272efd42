package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** The Go runtime's health on one target over an interval; absent figures are those no source gave. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuntimeHealthResult {

  @Size(max = 253)
  @JsonPropertyDescription("The pod.")
  private String pod;

  @JsonPropertyDescription("The interval the figures cover, in ms.")
  private Long intervalMs;

  @JsonPropertyDescription("GC cycles completed in the interval (runtime.MemStats.NumGC).")
  private Long gcCycles;

  @JsonPropertyDescription("GC cycles per minute over the interval.")
  private Double gcPerMinute;

  @JsonPropertyDescription("The stop-the-world pause of each GC cycle in the interval (runtime.MemStats.PauseNs; the "
      + "newest 256 when there were more).")
  private PauseSummary gcPauses;

  @JsonPropertyDescription("Heap in use at the end (runtime.MemStats.HeapInuse).")
  private Long heapInuseBytes;

  @JsonPropertyDescription("The heap size the next GC aims at (runtime.MemStats.NextGC).")
  private Long heapGoalBytes;

  @JsonPropertyDescription("Goroutines at the end (goroutine profile).")
  private Long goroutines;

  @JsonPropertyDescription("GOMAXPROCS (from a 1 s execution trace at the end).")
  private Long gomaxprocs;

  @JsonPropertyDescription("Goroutines per GOMAXPROCS.")
  private Double goroutinesPerProc;

  @JsonPropertyDescription("How long goroutines waited runnable before they ran, over a 1 s execution trace at the "
      + "end.")
  private PauseSummary schedulerLatency;

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public Long getIntervalMs() {
    return intervalMs;
  }

  public void setIntervalMs(Long intervalMs) {
    this.intervalMs = intervalMs;
  }

  public Long getGcCycles() {
    return gcCycles;
  }

  public void setGcCycles(Long gcCycles) {
    this.gcCycles = gcCycles;
  }

  public Double getGcPerMinute() {
    return gcPerMinute;
  }

  public void setGcPerMinute(Double gcPerMinute) {
    this.gcPerMinute = gcPerMinute;
  }

  public PauseSummary getGcPauses() {
    return gcPauses;
  }

  public void setGcPauses(PauseSummary gcPauses) {
    this.gcPauses = gcPauses;
  }

  public Long getHeapInuseBytes() {
    return heapInuseBytes;
  }

  public void setHeapInuseBytes(Long heapInuseBytes) {
    this.heapInuseBytes = heapInuseBytes;
  }

  public Long getHeapGoalBytes() {
    return heapGoalBytes;
  }

  public void setHeapGoalBytes(Long heapGoalBytes) {
    this.heapGoalBytes = heapGoalBytes;
  }

  public Long getGoroutines() {
    return goroutines;
  }

  public void setGoroutines(Long goroutines) {
    this.goroutines = goroutines;
  }

  public Long getGomaxprocs() {
    return gomaxprocs;
  }

  public void setGomaxprocs(Long gomaxprocs) {
    this.gomaxprocs = gomaxprocs;
  }

  public Double getGoroutinesPerProc() {
    return goroutinesPerProc;
  }

  public void setGoroutinesPerProc(Double goroutinesPerProc) {
    this.goroutinesPerProc = goroutinesPerProc;
  }

  public PauseSummary getSchedulerLatency() {
    return schedulerLatency;
  }

  public void setSchedulerLatency(PauseSummary schedulerLatency) {
    this.schedulerLatency = schedulerLatency;
  }
}
