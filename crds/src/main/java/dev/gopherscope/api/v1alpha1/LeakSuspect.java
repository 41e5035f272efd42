package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * Goroutines that look leaked: a stack group that grew in every snapshot, or goroutines the
 * garbage collector proved can never run again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LeakSuspect {

  @Size(max = 253)
  @JsonPropertyDescription("The pod.")
  private String pod;

  @Size(max = 5)
  @JsonPropertyDescription("Top frames, innermost first.")
  private List<@Size(max = 256) String> frames;

  @Size(max = 60)
  @JsonPropertyDescription("Group size in each snapshot, in order; for a proven leak, the goroutines leaked.")
  private List<Long> counts;

  @Size(max = 16)
  @JsonPropertyDescription("How it was found: Proven (the garbage collector found the goroutines blocked on what "
      + "nothing reachable can ever wake: Go's goroutineleak profile) or Growth (the group grew in every snapshot).")
  private String method;

  @Size(max = 2)
  @ValidationRule(value = "self.all(k, size(k) <= 32)", message = "label keys are at most 32 characters")
  @JsonPropertyDescription("Two pprof labels of the leaked goroutines (redacted, keys cut to 32 and values to 64 "
      + "characters), where known; all of them are in the capture's goroutine-leaks.json.")
  private Map<String, @Size(max = 64) String> labels;

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public List<String> getFrames() {
    return frames;
  }

  public void setFrames(List<String> frames) {
    this.frames = frames;
  }

  public String getMethod() {
    return method;
  }

  public void setMethod(String method) {
    this.method = method;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public List<Long> getCounts() {
    return counts;
  }

  public void setCounts(List<Long> counts) {
    this.counts = counts;
  }
}
