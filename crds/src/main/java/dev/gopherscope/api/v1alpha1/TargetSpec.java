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

  // Label syntax as Kubernetes defines it (validation.IsQualifiedName, IsValidLabelValue). A pod
  // list with a malformed selector is refused by the API server on every reconcile, so the
  // session would never get past resolving; refusing it here tells the user at kubectl apply.
  private static final String LABEL_NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
  private static final String DNS_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final String KEY = "'^(" + DNS_SUBDOMAIN + "/)?" + LABEL_NAME + "$'";
  private static final String VALUE = "'^(" + LABEL_NAME + ")?$'";
  private static final String K_IS_KEY = "k.matches(" + KEY + ") && (!k.contains('/') || k.indexOf('/') <= 253)";
  private static final String E_KEY_IS_KEY = "e.key.matches(" + KEY + ")"
      + " && (!e.key.contains('/') || e.key.indexOf('/') <= 253)";

  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription("The name of one pod in the session's namespace.")
  private String podName;

  @ValidationRule(value = "(has(self.matchLabels) && size(self.matchLabels) > 0)"
      + " || (has(self.matchExpressions) && size(self.matchExpressions) > 0)",
      message = "target.selector is empty and would match every pod in the namespace: name at least one label "
          + "in matchLabels or matchExpressions")
  @ValidationRule(value = "(!has(self.matchLabels) || self.matchLabels.all(k, " + K_IS_KEY + "))"
      + " && (!has(self.matchExpressions) || self.matchExpressions.all(e, !has(e.key) || " + E_KEY_IS_KEY + "))",
      message = "target.selector has an invalid label key: an optional DNS subdomain prefix of at most 253 "
          + "characters and '/', then a name of 1 to 63 letters, digits, '-', '_' or '.' that starts and ends "
          + "with a letter or digit")
  @ValidationRule(value = "(!has(self.matchLabels) || self.matchLabels.all(k, self.matchLabels[k].matches(" + VALUE
      + "))) && (!has(self.matchExpressions) || self.matchExpressions.all(e, !has(e.values) || e.values.all(v, "
      + "v.matches(" + VALUE + "))))",
      message = "target.selector has an invalid label value: at most 63 letters, digits, '-', '_' or '.', "
          + "starting and ending with a letter or digit")
  @ValidationRule(value = "!has(self.matchExpressions) || self.matchExpressions.all(e, !has(e.operator)"
      + " || (e.operator in ['In', 'NotIn']) == (has(e.values) && size(e.values) > 0))",
      message = "target.selector.matchExpressions: operators In and NotIn need values; Exists and DoesNotExist "
          + "take none")
  @JsonPropertyDescription("Pods in the session's namespace matching this selector; the newest running ones are "
      + "taken, at most maxPods. It must name at least one label: an empty selector would match every pod.")
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
