package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A stack group that grew in every snapshot. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LeakSuspect {

  @Size(max = 253)
  @JsonPropertyDescription("The pod.")
  private String pod;

  @Size(max = 5)
  @JsonPropertyDescription("Top frames, innermost first.")
  private List<@Size(max = 256) String> frames;

  @Size(max = 60)
  @JsonPropertyDescription("Group size in each snapshot, in order.")
  private List<Long> counts;

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

  public List<Long> getCounts() {
    return counts;
  }

  public void setCounts(List<Long> counts) {
    this.counts = counts;
  }
}
