package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Where the app serves net/http/pprof, on the pod's loopback (shared by the injected container). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PprofEndpoint {

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("The port the app serves net/http/pprof on.")
  private Integer port;

  @Default("/debug/pprof")
  @Size(max = 256)
  @Pattern("^/[A-Za-z0-9/._-]*$")
  @JsonPropertyDescription("The path prefix of the pprof handlers (default /debug/pprof).")
  private String path;

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
