package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One stack's in-use heap growth over a Heap capture's snapshots. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HeapGrowthSummary {

  @Size(max = 253)
  @JsonPropertyDescription("The pod.")
  private String pod;

  @Size(max = 3)
  @JsonPropertyDescription("Top frames of the allocating stack, innermost first.")
  private List<@Size(max = 256) String> frames;

  @JsonPropertyDescription("In-use bytes gained from the first snapshot to the last.")
  private Long bytes;

  @JsonPropertyDescription("In-use objects gained from the first snapshot to the last.")
  private Long objects;

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

  public Long getBytes() {
    return bytes;
  }

  public void setBytes(Long bytes) {
    this.bytes = bytes;
  }

  public Long getObjects() {
    return objects;
  }

  public void setObjects(Long objects) {
    this.objects = objects;
  }
}
