package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * A condition the session waits for before it captures: each target stays Armed, watching its own
 * pod, until the condition holds there, and then runs the captures. Exactly one condition is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.goroutinesAbove), has(self.heapInUseAbove), has(self.labelAppears), has(self.breakpoint)].filter(x, x).size() == 1",
    message = "a trigger has exactly one condition: goroutinesAbove, heapInUseAbove, labelAppears or breakpoint")
@ValidationRule(value = "has(self.breakpoint) || !has(self.filterByHitLabels)",
    message = "filterByHitLabels applies only to a breakpoint trigger")
public class Trigger {

  @Min(1)
  @Max(100_000_000)
  @JsonPropertyDescription("Fire when the target runs more than this many goroutines (runtime.NumGoroutine, read "
      + "from the pprof index page: no stop-the-world).")
  private Long goroutinesAbove;

  @Size(max = 32)
  @Pattern("^[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?$")
  @JsonPropertyDescription("Fire when the heap in use (runtime.MemStats.HeapInuse) exceeds this quantity, e.g. "
      + "512Mi. Read from the heap profile's text form, which costs the target one short stop-the-world per poll.")
  private String heapInUseAbove;

  @Size(min = 1, max = 8)
  @ValidationRule(value = "self.all(k, size(k) <= 128)", message = "label keys are at most 128 characters")
  @JsonPropertyDescription("Fire when a goroutine carries all these pprof labels with these values, e.g. "
      + "{route: /checkout}. Read from the goroutine profile.")
  private Map<String, @Size(max = 256) String> labelAppears;

  @JsonPropertyDescription("Fire when a goroutine reaches a location (with an optional condition), through the "
      + "debugger: needs SYS_PTRACE, attaches when the session arms. Each stop halts the target within pauseBudget.")
  private TriggerBreakpoint breakpoint;

  @JsonPropertyDescription("Breakpoint trigger: the captures after the hit keep only the goroutines carrying the "
      + "pprof labels of the goroutine that hit (with the session's filter), e.g. the one request that reached the "
      + "location. Default true; a goroutine without labels leaves the session's filter as it is.")
  private Boolean filterByHitLabels;

  @Default("5s")
  @Size(max = 32)
  @Pattern(DebugSessionSpec.DURATION_PATTERN)
  @ValidationRule(value = "duration(self) >= duration('1s') && duration(self) <= duration('5m')",
      message = "pollInterval must be between 1s and 5m")
  @JsonPropertyDescription("goroutinesAbove, heapInUseAbove, labelAppears: time between polls (default 5s). The "
      + "sidecar stretches it so that polling never takes more than 2% of the time.")
  private String pollInterval;

  public Long getGoroutinesAbove() {
    return goroutinesAbove;
  }

  public void setGoroutinesAbove(Long goroutinesAbove) {
    this.goroutinesAbove = goroutinesAbove;
  }

  public String getHeapInUseAbove() {
    return heapInUseAbove;
  }

  public void setHeapInUseAbove(String heapInUseAbove) {
    this.heapInUseAbove = heapInUseAbove;
  }

  public Map<String, String> getLabelAppears() {
    return labelAppears;
  }

  public void setLabelAppears(Map<String, String> labelAppears) {
    this.labelAppears = labelAppears;
  }

  public TriggerBreakpoint getBreakpoint() {
    return breakpoint;
  }

  public void setBreakpoint(TriggerBreakpoint breakpoint) {
    this.breakpoint = breakpoint;
  }

  public Boolean getFilterByHitLabels() {
    return filterByHitLabels;
  }

  public void setFilterByHitLabels(Boolean filterByHitLabels) {
    this.filterByHitLabels = filterByHitLabels;
  }

  public String getPollInterval() {
    return pollInterval;
  }

  public void setPollInterval(String pollInterval) {
    this.pollInterval = pollInterval;
  }
}
