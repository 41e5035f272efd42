package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How many pauses (or waits) and how long, in microseconds; percentiles are nearest-rank. Merged
 * over targets: counts and totals add up, the maximum and percentiles are the highest of any target.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PauseSummary {

  @JsonPropertyDescription("How many.")
  private Long count;

  @JsonPropertyDescription("Their sum, in microseconds.")
  private Long totalUs;

  @JsonPropertyDescription("The longest, in microseconds.")
  private Long maxUs;

  @JsonPropertyDescription("The median, in microseconds.")
  private Long p50Us;

  @JsonPropertyDescription("The 99th percentile, in microseconds.")
  private Long p99Us;

  public Long getCount() {
    return count;
  }

  public void setCount(Long count) {
    this.count = count;
  }

  public Long getTotalUs() {
    return totalUs;
  }

  public void setTotalUs(Long totalUs) {
    this.totalUs = totalUs;
  }

  public Long getMaxUs() {
    return maxUs;
  }

  public void setMaxUs(Long maxUs) {
    this.maxUs = maxUs;
  }

  public Long getP50Us() {
    return p50Us;
  }

  public void setP50Us(Long p50Us) {
    this.p50Us = p50Us;
  }

  public Long getP99Us() {
    return p99Us;
  }

  public void setP99Us(Long p99Us) {
    this.p99Us = p99Us;
  }
}
