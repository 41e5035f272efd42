package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The goroutines serving one trace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TraceStackSummary {

  @Size(max = 32)
  @JsonPropertyDescription("The trace id, 32 lowercase hex digits.")
  private String traceId;

  @JsonPropertyDescription("Goroutines carrying this trace id.")
  private Integer goroutines;

  @JsonPropertyDescription("Of those, the ones blocked (waiting on a channel, lock, I/O or sleep).")
  private Integer blocked;

  @JsonPropertyDescription("Pods where goroutines of this trace were found.")
  private Integer pods;

  @Size(max = 5)
  @JsonPropertyDescription("Innermost frame of each distinct stack.")
  private List<@Size(max = 256) String> topFrames;

  public String getTraceId() {
    return traceId;
  }

  public void setTraceId(String traceId) {
    this.traceId = traceId;
  }

  public Integer getGoroutines() {
    return goroutines;
  }

  public void setGoroutines(Integer goroutines) {
    this.goroutines = goroutines;
  }

  public Integer getBlocked() {
    return blocked;
  }

  public void setBlocked(Integer blocked) {
    this.blocked = blocked;
  }

  public Integer getPods() {
    return pods;
  }

  public void setPods(Integer pods) {
    this.pods = pods;
  }

  public List<String> getTopFrames() {
    return topFrames;
  }

  public void setTopFrames(List<String> topFrames) {
    this.topFrames = topFrames;
  }
}
