package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Goroutines that share one stack. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StackGroupSummary {

  @JsonPropertyDescription("Goroutines in this group.")
  private Long count;

  @Size(max = 253)
  @JsonPropertyDescription("The pod, when the group comes from one pod.")
  private String pod;

  @Size(max = 5)
  @JsonPropertyDescription("Top frames, innermost first.")
  private List<@Size(max = 256) String> frames;

  @Size(max = 4)
  @ValidationRule(value = "self.all(k, size(k) <= 128)", message = "label keys are at most 128 characters")
  @JsonPropertyDescription("pprof labels shared by the group's goroutines (redacted).")
  private Map<String, @Size(max = 256) String> labels;

  public Long getCount() {
    return count;
  }

  public void setCount(Long count) {
    this.count = count;
  }

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

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }
}
