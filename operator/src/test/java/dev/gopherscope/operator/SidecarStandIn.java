package dev.gopherscope.operator;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.TargetReport;
import dev.gopherscope.sidecar.output.ArtifactSpool;
import dev.gopherscope.sidecar.output.PresignedUploader;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import dev.gopherscope.sidecar.output.StatusReporter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plays the sidecar in operator ITs, started by {@code KubeletStandIn} with the exact command and
 * environment the operator wrote into the ephemeral container. It captures nothing (the sidecar's
 * own ITs do that against real dlv) but speaks the real contract: it reads the plan, reports with
 * the pod-bound token through the sidecar's StatusReporter, and uploads through presigned URLs.
 * Behaviour by session name: {@code fail-*} reports a failure, {@code slow-*} takes 4 s.
 */
public final class SidecarStandIn {

  public static void main(String[] args) throws Exception {
    SidecarPlan plan = ContractJson.mapper().readValue(System.getenv(SidecarEnvironment.PLAN), SidecarPlan.class);
    Map<String, URI> uploads = ContractJson.mapper().readValue(System.getenv(SidecarEnvironment.UPLOADS),
        new TypeReference<Map<String, URI>>() { });
    StatusReporter reporter = new StatusReporter(URI.create(System.getenv(SidecarEnvironment.API_SERVER)),
        System.getenv(SidecarEnvironment.API_CA), System.getenv(SidecarEnvironment.TOKEN), plan.session(), plan.pod());
    int planned = plan.captures().size();
    int pid = (int) ProcessHandle.current().pid();
    progress(reporter, new TargetReport("Attached", pid, "go1.26.8", 0L, null, null, 0, planned, 0, 0, null,
        "attached to the stand-in", Instant.now().toString()));
    if (plan.session().name().startsWith("fail-")) {
      reporter.report(new TargetReport("Failed", null, null, 0L, null, null, 0, planned, 0, 0, "NotAGoProcess",
          "process 1 is not a Go binary", Instant.now().toString()));
      return;
    }
    if (plan.session().name().startsWith("slow-")) {
      Thread.sleep(4000);
    }
    progress(reporter, new TargetReport("Capturing", pid, "go1.26.8", 3L, null, null, 0, planned, 0, 0, null,
        "capturing", Instant.now().toString()));
    ArtifactSpool spool = new ArtifactSpool(Files.createTempDirectory("standin-spool"));
    PresignedUploader uploader = new PresignedUploader(uploads, plan.deadline(), Clock.systemUTC());
    SidecarPlan.PlannedArtifact first = plan.artifacts().get(0);
    SpooledArtifact artifact = spool.write(first.name(), first.kind() == null ? "Report" : first.kind().name(),
        first.contentType(), ("{\"from\":\"stand-in\",\"pod\":\"" + plan.pod() + "\"}").getBytes(StandardCharsets.UTF_8));
    uploader.upload(artifact);
    List<SidecarReport.CaptureOutcome> outcomes = new ArrayList<>();
    outcomes.add(new SidecarReport.CaptureOutcome(0, plan.captures().get(0).kind().name(), "Pprof", true, 3, false,
        "ok", 1200L, 3L,
        List.of(new SidecarReport.StackGroup(3, List.of("main.waitOnChannel", "main.handleBlock"),
            Map.of("route", "/work/block"))),
        List.of(new SidecarReport.TraceStacks("4bf92f3577b34da6a3ce929d0e0e4736", 3, 2,
            List.of("main.waitOnChannel"))),
        List.of()));
    plan.captures().stream().filter(c -> c.index() > 0).map(SidecarStandIn::runtimeFigures).forEach(outcomes::add);
    SidecarReport report = new SidecarReport(plan.pod(), pid, "go1.26.8", null, null, outcomes,
        List.of(new SidecarReport.ArtifactRecord(artifact.name(), artifact.kind(), artifact.bytes(), artifact.sha256(),
            "Uploaded", null)));
    uploader.upload(spool.write(SessionPlanner.REPORT, "Report", "application/json",
        ContractJson.mapper().writeValueAsBytes(report)));
    reporter.reportFinal(new TargetReport("Done", pid, "go1.26.8", 3L, null, null, planned, planned, 1, 0, null,
        "captured " + planned + " capture(s)", Instant.now().toString()), Instant.now().plusSeconds(90));
  }

  /** As the sidecar's StatusBoard does: a progress report that fails is logged, and the session goes on. */
  private static void progress(StatusReporter reporter, TargetReport report) {
    try {
      reporter.report(report);
    } catch (StatusReporter.ReportException e) {
      System.err.println("cannot report " + report.phase() + ": " + e.getMessage());
    }
  }

  /** What an ExecutionTrace or RuntimeHealth capture of the demo reports (figures of a real run). */
  private static SidecarReport.CaptureOutcome runtimeFigures(SidecarPlan.CapturePlan capture) {
    SidecarReport.Pauses gc = new SidecarReport.Pauses(6, 5200, 2900, 55, 2900);
    SidecarReport.Pauses scheduler = new SidecarReport.Pauses(812, 40_000, 1400, 3, 1187);
    SidecarReport.ExecutionTraceSummary trace = capture.kind() != SidecarPlan.CaptureKindName.ExecutionTrace ? null
        : new SidecarReport.ExecutionTraceSummary(5000, 3, gc, gc, scheduler, 2024, 2, 0, List.of(
            new SidecarReport.TracedGoroutine(29, 2531.25, 2402.5, 0, 66.25, "preempted at crypto/sha256.Sum256",
                List.of("main.burnCPU", "main.handleCPU", "main.appMux.traced.func1.1")),
            new SidecarReport.TracedGoroutine(30, 0, 0, 0, 5000, "chan receive at main.waitOnChannel",
                List.of("main.waitOnChannel", "main.handleBlock"))));
    SidecarReport.RuntimeHealthSummary health = capture.kind() != SidecarPlan.CaptureKindName.RuntimeHealth ? null
        : new SidecarReport.RuntimeHealthSummary(10_000, 6, 36.0, gc, 4_202_496, 4_194_304, 2012L, 2L, 1006.0,
            scheduler, "GC cycles, pauses and heap: runtime.MemStats (heap?debug=1) at both ends");
    return new SidecarReport.CaptureOutcome(capture.index(), capture.kind().name(), "Pprof", true, 0, false, "ok",
        null, null, null, null, null, trace, health, null, null);
  }
}
