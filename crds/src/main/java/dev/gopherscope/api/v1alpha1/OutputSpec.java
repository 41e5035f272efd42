package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Where artifacts are stored; unset fields take the operator's defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutputSpec {

  @Size(min = 3, max = 63)
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  @JsonPropertyDescription("The object-store bucket (default: the operator's).")
  private String bucket;

  @Size(max = 256)
  @Pattern("^[A-Za-z0-9!_.*'()/-]*$")
  @JsonPropertyDescription("Key prefix under the bucket (default: <namespace>/<session name>/<uid>/).")
  private String prefix;

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }
}
