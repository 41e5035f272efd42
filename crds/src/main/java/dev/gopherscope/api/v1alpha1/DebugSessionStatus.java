package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * What the operator and the sidecars observed. Every list and string has a bound, so the whole
 * status stays far below etcd's object size limit whatever the targets report.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DebugSessionStatus {

  @JsonPropertyDescription("Pending, Injecting, Attaching, Armed (waiting for spec.trigger), Capturing, Uploading, Succeeded or Failed.")
  private SessionPhase phase;

  @JsonPropertyDescription("The spec generation this status describes.")
  private Long observedGeneration;

  @Size(max = 8)
  @JsonPropertyDescription("Ready plus TargetsResolved, PreflightPassed, Injected, DebuggerAttached, Captured and Uploaded; usable with kubectl wait --for=condition=Ready.")
  private List<SessionCondition> conditions;

  @Size(max = 1024)
  @JsonPropertyDescription("A one-line summary of the session's state.")
  private String message;

  @Size(max = 64)
  @JsonPropertyDescription("When the operator began working on the session (RFC 3339).")
  private String startTime;

  @Size(max = 64)
  @JsonPropertyDescription("When the session reached Succeeded or Failed (RFC 3339).")
  private String completionTime;

  @Size(max = 16)
  @JsonPropertyDescription("Targets finished / targets, e.g. 2/3.")
  private String targetsSummary;

  @Size(max = 16)
  @JsonPropertyDescription("Captures done / captures planned over all targets, e.g. 5/6.")
  private String capturesSummary;

  @JsonPropertyDescription("The longest time, in ms, any target was halted by one capture.")
  private Long pausedMs;

  @JsonPropertyDescription("The trigger over all targets; absent without spec.trigger.")
  private TriggerStatus trigger;

  @Size(max = 10)
  @JsonPropertyDescription("One entry per target pod.")
  private List<TargetStatus> targets;

  @JsonPropertyDescription("Bounded results; the artifacts hold everything.")
  private SessionResults results;

  @Size(max = 32)
  @JsonPropertyDescription("Files produced, with where they are stored, size and sha256. When there are more, the manifest artifact lists them all.")
  private List<Artifact> artifacts;

  @JsonPropertyDescription("Artifacts not listed here because the list is full; the manifest lists them.")
  private Integer artifactsOmitted;

  public SessionPhase getPhase() {
    return phase;
  }

  public void setPhase(SessionPhase phase) {
    this.phase = phase;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<SessionCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<SessionCondition> conditions) {
    this.conditions = conditions;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public String getTargetsSummary() {
    return targetsSummary;
  }

  public void setTargetsSummary(String targetsSummary) {
    this.targetsSummary = targetsSummary;
  }

  public String getCapturesSummary() {
    return capturesSummary;
  }

  public void setCapturesSummary(String capturesSummary) {
    this.capturesSummary = capturesSummary;
  }

  public Long getPausedMs() {
    return pausedMs;
  }

  public void setPausedMs(Long pausedMs) {
    this.pausedMs = pausedMs;
  }

  public List<TargetStatus> getTargets() {
    return targets;
  }

  public void setTargets(List<TargetStatus> targets) {
    this.targets = targets;
  }

  public SessionResults getResults() {
    return results;
  }

  public void setResults(SessionResults results) {
    this.results = results;
  }

  public List<Artifact> getArtifacts() {
    return artifacts;
  }

  public void setArtifacts(List<Artifact> artifacts) {
    this.artifacts = artifacts;
  }

  public Integer getArtifactsOmitted() {
    return artifactsOmitted;
  }

  public void setArtifactsOmitted(Integer artifactsOmitted) {
    this.artifactsOmitted = artifactsOmitted;
  }

  public TriggerStatus getTrigger() {
    return trigger;
  }

  public void setTrigger(TriggerStatus trigger) {
    this.trigger = trigger;
  }
}
