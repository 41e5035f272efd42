package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** One file the session produced. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Artifact {

  @Size(max = 128)
  @JsonPropertyDescription("File name, e.g. goroutines-1.pb.gz.")
  private String name;

  @Size(max = 32)
  @JsonPropertyDescription("The capture kind, or FlameGraph / Manifest.")
  private String kind;

  @Size(max = 253)
  @JsonPropertyDescription("The pod it came from.")
  private String pod;

  @Size(max = 512)
  @JsonPropertyDescription("Where it is stored (s3://bucket/key).")
  private String uri;

  @JsonPropertyDescription("Size in bytes.")
  private Long bytes;

  @Size(max = 64)
  @JsonPropertyDescription("Hex sha256 of the content.")
  private String sha256;

  @JsonPropertyDescription("Spooled, Uploaded or Failed.")
  private ArtifactState state;

  @Size(max = 256)
  @JsonPropertyDescription("Why the upload failed, when it did.")
  private String message;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public Long getBytes() {
    return bytes;
  }

  public void setBytes(Long bytes) {
    this.bytes = bytes;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public ArtifactState getState() {
    return state;
  }

  public void setState(ArtifactState state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
