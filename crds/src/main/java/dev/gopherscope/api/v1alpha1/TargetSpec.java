package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** One pod by name, or up to {@code maxPods} pods by label selector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.podName) != has(self.selector)",
    message = "set exactly one of target.podName or target.selector")
@ValidationRule(value = "!has(self.maxPods) || has(self.selector)",
    message = "target.maxPods applies only to target.selector")
public class TargetSpec {

  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription("The name of one pod in the session's namespace.")
  private String podName;

  @JsonPropertyDescription("Pods in the session's namespace matching this selector; the newest running ones are "
      + "taken, at most maxPods.")
  private LabelSelector selector;

  @Min(1)
  @Max(10)
  @JsonPropertyDescription("With a selector: the most pods to debug (1 to 10, default 1).")
  private Integer maxPods;

  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("The container whose Go process is debugged; default: the pod's first container.")
  private String container;

  @Size(max = 255)
  @JsonPropertyDescription("The executable name of the process to debug when the container runs several; "
      + "default: the container's only Go process.")
  private String processName;

  public String getPodName() {
    return podName;
  }

  public void setPodName(String podName) {
    this.podName = podName;
  }

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }

  public Integer getMaxPods() {
    return maxPods;
  }

  public void setMaxPods(Integer maxPods) {
    this.maxPods = maxPods;
  }

  public String getContainer() {
    return container;
  }

  public void setContainer(String container) {
    this.container = container;
  }

  public String getProcessName() {
    return processName;
  }

  public void setProcessName(String processName) {
    this.processName = processName;
  }
}
