package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One request to debug or profile Go processes in place: which pods, which goroutines, what to
 * capture, how long the target may be halted. The operator fills in {@link DebugSessionStatus}.
 */
@Group(DebugSession.GROUP)
@Version(DebugSession.VERSION)
@Kind("DebugSession")
@Singular("debugsession")
@Plural("debugsessions")
@ShortNames("dbg")
@Categories({"gopherscope", "debug"})
@JsonClassDescription("DebugSession captures goroutine-filtered profiles and trace-linked stacks of running Go "
    + "processes in place, through an injected debugger container, under a hard pause budget.")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Targets", jsonPath = ".status.targetsSummary",
    type = AdditionalPrinterColumn.Type.STRING, getDescription = "targets that finished / targets")
@AdditionalPrinterColumn(name = "Captures", jsonPath = ".status.capturesSummary",
    type = AdditionalPrinterColumn.Type.STRING, getDescription = "captures done / captures planned, over all targets")
@AdditionalPrinterColumn(name = "Paused", jsonPath = ".status.pausedMs", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "longest time, in ms, any target was halted by one capture")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DebugSession extends CustomResource<DebugSessionSpec, DebugSessionStatus> implements Namespaced {

  public static final String GROUP = "gopherscope.dev";
  public static final String VERSION = "v1alpha1";

  // Overridden only to carry the descriptions that kubectl explain shows for spec and status.
  @Override
  @JsonPropertyDescription("What to debug and how: the target pods, which goroutines matter, what to capture and how "
      + "long the target may be halted. Immutable once created: delete and re-create to change it.")
  public DebugSessionSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What the operator and the injected sidecars observed: phase, conditions, per-target "
      + "state, bounded results and the artifacts in object storage.")
  public DebugSessionStatus getStatus() {
    return super.getStatus();
  }
}
