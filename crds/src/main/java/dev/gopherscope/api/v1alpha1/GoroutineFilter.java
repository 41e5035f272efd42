package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Which goroutines a capture keeps: all conditions must hold. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.traceparent) && has(self.traceId))",
    message = "set at most one of filter.traceparent or filter.traceId")
public class GoroutineFilter {

  @Size(max = 16)
  @ValidationRule(value = "self.all(k, size(k) <= 128)", message = "label keys are at most 128 characters")
  @JsonPropertyDescription("pprof labels that must be present with exactly these values.")
  private Map<String, @Size(max = 256) String> labels;

  @Size(max = 16)
  @JsonPropertyDescription("pprof label keys that must be present, with any value.")
  private List<@Size(max = 128) String> labelKeys;

  @Size(max = 55)
  @Pattern("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")
  @ValidationRule(value = "!self.startsWith('ff-')", message = "traceparent version ff is invalid (W3C Trace Context)")
  @ValidationRule(value = "self.substring(3, 35) != '00000000000000000000000000000000'",
      message = "traceparent has an all-zero trace id, which W3C Trace Context forbids")
  @ValidationRule(value = "self.substring(36, 52) != '0000000000000000'",
      message = "traceparent has an all-zero parent id, which W3C Trace Context forbids")
  @JsonPropertyDescription("A W3C traceparent (00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>): keep the "
      + "goroutines of this trace.")
  private String traceparent;

  @Size(max = 32)
  @Pattern("^([0-9a-f]{16}|[0-9a-f]{32})$")
  @ValidationRule(value = "!self.matches('^0+$')", message = "traceId must not be all zeros")
  @JsonPropertyDescription("A bare trace id, 32 lowercase hex digits (W3C/OpenTelemetry) or 16 (64-bit ids).")
  private String traceId;

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public List<String> getLabelKeys() {
    return labelKeys;
  }

  public void setLabelKeys(List<String> labelKeys) {
    this.labelKeys = labelKeys;
  }

  public String getTraceparent() {
    return traceparent;
  }

  public void setTraceparent(String traceparent) {
    this.traceparent = traceparent;
  }

  public String getTraceId() {
    return traceId;
  }

  public void setTraceId(String traceId) {
    this.traceId = traceId;
  }
}
