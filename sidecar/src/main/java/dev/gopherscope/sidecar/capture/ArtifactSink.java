package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SessionPlanner;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarPlan.PlannedArtifact;
import dev.gopherscope.sidecar.output.ArtifactSpool;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import dev.gopherscope.sidecar.pprof.PprofEncoder;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where captures put their artifacts: the spool, restricted to the names the plan decided up
 * front (the operator presigned an upload URL for exactly those), with each artifact's kind and
 * content type taken from the plan. It remembers what was written, in order, for the report.
 * Not thread-safe: captures run one after another.
 */
public final class ArtifactSink {

  /** The report's kind; planned artifacts of captures take their capture's kind. */
  public static final String REPORT_KIND = "Report";
  /** trigger.json's kind: what the session's trigger saw. */
  public static final String TRIGGER_KIND = "Trigger";

  private static final ObjectWriter JSON = ContractJson.mapper().writerWithDefaultPrettyPrinter()
      .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private final ArtifactSpool spool;
  private final Map<String, PlannedArtifact> planned = new LinkedHashMap<>();
  private final List<SpooledArtifact> written = new ArrayList<>();

  public ArtifactSink(ArtifactSpool spool, List<PlannedArtifact> plannedArtifacts) {
    this.spool = spool;
    plannedArtifacts.forEach(a -> planned.put(a.name(), a));
  }

  /**
   * Spools one planned artifact.
   *
   * @throws IllegalStateException if the plan has no artifact of that name: a programming error,
   *     since the planner and the captures agree on names
   */
  public SpooledArtifact write(String name, ArtifactSpool.ArtifactWriter writer) {
    PlannedArtifact artifact = planned(name);
    return remember(spool.write(name, kindOf(artifact), artifact.contentType(), writer));
  }

  private PlannedArtifact planned(String name) {
    PlannedArtifact artifact = planned.get(name);
    if (artifact == null) {
      throw new IllegalStateException("the plan has no artifact named " + name + "; planned: " + planned.keySet());
    }
    return artifact;
  }

  private static String kindOf(PlannedArtifact artifact) {
    if (artifact.kind() == null) {
      return SessionPlanner.TRIGGER.equals(artifact.name()) ? TRIGGER_KIND : REPORT_KIND;
    }
    return artifact.kind().name();
  }

  private SpooledArtifact remember(SpooledArtifact spooled) {
    written.removeIf(a -> a.name().equals(spooled.name()));
    written.add(spooled);
    return spooled;
  }

  /**
   * The session's report, as pretty JSON, through the spool's reserve (see
   * {@link ArtifactSpool#writeReport}); serialised first, because the reserve is for small documents.
   */
  public SpooledArtifact writeReport(String name, Object report) {
    PlannedArtifact artifact = planned(name);
    byte[] content;
    try {
      content = JSON.writeValueAsBytes(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + name + ": " + e.getMessage(), e);
    }
    return remember(spool.writeReport(name, kindOf(artifact), artifact.contentType(), content));
  }

  /** A JSON document (records, maps, lists), pretty-printed: people read these. */
  public SpooledArtifact writeJson(String name, Object document) {
    return write(name, out -> JSON.writeValue(out, document));
  }

  /** A profile as {@code .pb.gz}. */
  public SpooledArtifact writeProfile(String name, PprofProfile profile) {
    return write(name, out -> PprofEncoder.write(profile, out));
  }

  public SpooledArtifact writeText(String name, String text) {
    return write(name, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The spool's directory, for a capture's scratch files (hidden names; never uploaded). */
  public java.nio.file.Path spoolDir() {
    return spool.dir();
  }

  /** Every artifact written so far, in order. */
  public List<SpooledArtifact> written() {
    return List.copyOf(written);
  }

  /** The artifacts written for the capture at {@code captureIndex}. */
  public List<SpooledArtifact> writtenFor(int captureIndex) {
    return written.stream().filter(a -> planned.get(a.name()).captureIndex() == captureIndex).toList();
  }
}
