package dev.gopherscope.sidecar.app;

import dev.gopherscope.contract.RedactPatterns;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.sidecar.capture.CaptureResult;
import dev.gopherscope.sidecar.capture.SessionFilter;
import dev.gopherscope.sidecar.debuginfo.DebugInfoSource;
import dev.gopherscope.sidecar.debuginfo.PublishedDebugInfoFetch;
import dev.gopherscope.sidecar.output.ArtifactSpool;
import dev.gopherscope.sidecar.output.PresignedUploader;
import dev.gopherscope.sidecar.output.StatusReporter;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.redact.Redactor;
import dev.gopherscope.sidecar.trigger.TriggerOutcome;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code sidecar run}: the mode the operator starts in the injected container. The plan, the
 * API server, the token and the presigned upload URLs come from the environment; the target is
 * the Go process sharing the container's process namespace. Status goes to the session's
 * {@code status.targets[pod].report}: Attached, Capturing after each capture, Uploading, then Done
 * (every capture succeeded and every artifact arrived) or Failed with a reason. The exit code is
 * {@link ExitCode#OK} exactly when the target is Done.
 */
final class PodRun {

  private PodRun() {
  }

  static ExitCode run(Map<String, String> env, Clock clock, Consumer<String> log) {
    PodEnvironment pod;
    StatusBoard status;
    try {
      pod = PodEnvironment.read(env);
      status = new StatusBoard(new StatusReporter(pod.apiServer(), pod.caPem(), pod.token(), pod.plan().session(),
          pod.plan().pod()), pod.plan().captures().size(), clock, log);
    } catch (UsageException | IllegalArgumentException e) {
      log.accept(e.getMessage());
      return ExitCode.USAGE;
    }
    SidecarPlan plan = pod.plan();
    log.accept("session " + plan.session().namespace() + "/" + plan.session().name() + ", pod " + plan.pod() + ": "
        + plan.captures().size() + " capture(s) until " + plan.deadline());
    try {
      return capture(pod, status, clock, log);
    } catch (RuntimeException e) {
      // Whatever broke, the status must not be left saying "Capturing" forever.
      log.accept("the sidecar failed: " + e);
      status.failedEarly("SidecarError", "the sidecar failed: " + e);
      return ExitCode.FAILED;
    }
  }

  private static ExitCode capture(PodEnvironment pod, StatusBoard status, Clock clock, Consumer<String> log) {
    SidecarPlan plan = pod.plan();
    Redactor redactor;
    LabelMatcher filter;
    try {
      redactor = Redactor.compile(plan.redact() == null ? List.of() : plan.redact());
      filter = SessionFilter.matcher(plan.filter());
    } catch (IllegalArgumentException e) {
      log.accept(e.getMessage());
      status.failedEarly(e instanceof RedactPatterns.InvalidPatternException ? "InvalidRedactPattern" : "InvalidPlan",
          e.getMessage());
      return ExitCode.USAGE;
    }
    TargetIdentity target;
    try {
      target = TargetLookup.forThisProcess().inPod(Optional.ofNullable(plan.processName()), plan.needsDelve());
    } catch (TargetLookupException e) {
      log.accept(e.reason() + ": " + e.getMessage());
      status.failedEarly(e.reason(), e.getMessage());
      return ExitCode.TARGET;
    }
    log.accept("target " + target.describe() + (target.note().isEmpty() ? "" : "; " + target.note()));
    status.attached(target, "found " + target.describe() + (target.note().isEmpty() ? "" : "; " + target.note()));

    SessionRun.Outcome outcome = new SessionRun(plan, target, filter, redactor, new ArtifactSpool(pod.spoolDir()),
        ArtifactDelivery.uploadingWith(new PresignedUploader(pod.uploads(), plan.deadline(), clock)), pod.dlv(),
        debugInfo(pod, status), clock, log).run(new SessionRun.Listener() {
          @Override
          public void captureStarting(CapturePlan capture) {
            status.capturing("capture " + (capture.index() + 1) + "/" + plan.captures().size() + ": " + capture.kind());
          }

          @Override
          public void captureDone(int done, CaptureResult result, SessionRun.Pauses pauses) {
            status.captured(done, pauses, result.outcome().kind() + ": " + result.outcome().message());
          }

          @Override
          public void delivering(int artifacts) {
            status.uploading("uploading " + artifacts + " artifact(s)");
          }

          @Override
          public void armed(TriggerOutcome progress) {
            status.armed(progress);
          }

          @Override
          public void triggerEnded(TriggerOutcome outcome, SessionRun.Pauses pauses) {
            status.triggerEnded(outcome, pauses);
          }
        });

    Verdict verdict = Verdict.of(outcome);
    log.accept((verdict.done() ? "Done: " : "Failed (" + verdict.reason() + "): ") + verdict.message());
    boolean reported = status.finished(verdict.done(), verdict.reason(), verdict.message(),
        outcome.count(ArtifactDelivery.UPLOADED), outcome.count(ArtifactDelivery.FAILED));
    return verdict.done() && reported ? ExitCode.OK : ExitCode.FAILED;
  }

  /** Debug info for a stripped target: asked of the operator through the status, as the plan says. */
  private static DebugInfoSource debugInfo(PodEnvironment pod, StatusBoard status) {
    SidecarPlan plan = pod.plan();
    if (plan.debugInfo() == null) {
      return DebugInfoSource.none("the target is stripped (no DWARF) and this operator offers no debug info for it; "
          + "pprof captures still work");
    }
    return new PublishedDebugInfoFetch(pod.apiServer(), pod.caPem(), pod.token(), plan.session().namespace(),
        plan.debugInfo(), status::wantsDebugInfo);
  }

  /**
   * How the session ended for this target: Done when every capture succeeded and every artifact
   * arrived; otherwise Failed, saying what went wrong first.
   */
  record Verdict(boolean done, String reason, String message) {

    static Verdict of(SessionRun.Outcome outcome) {
      int uploaded = outcome.count(ArtifactDelivery.UPLOADED);
      int failed = outcome.count(ArtifactDelivery.FAILED);
      if (outcome.trigger().isPresent() && !outcome.trigger().get().fired()) {
        // Nothing was captured: the trigger's own words say why (never fired, or could not watch).
        TriggerOutcome trigger = outcome.trigger().get();
        return new Verdict(false, trigger.reason(), trigger.message() + "; no capture ran; " + uploaded
            + " artifact(s) uploaded" + (failed > 0 ? ", " + failed + " failed" : ""));
      }
      if (!outcome.capturesOk()) {
        // The first failure names the reason: a later one is often its consequence (not started).
        CaptureResult firstFailed = outcome.captures().stream().filter(c -> !c.outcome().ok()).findFirst()
            .orElseThrow();
        String first = firstFailed.outcome().kind() + ": " + firstFailed.outcome().message();
        return new Verdict(false, firstFailed.reason(), outcome.failedCaptures() + " of " + outcome.captures().size()
            + " capture(s) failed; first: " + first + "; " + uploaded + " artifact(s) uploaded, " + failed + " failed");
      }
      if (failed > 0) {
        // Name every missing artifact (the status must say exactly what did not arrive), then why.
        List<SidecarReport.ArtifactRecord> missing = outcome.allArtifacts().stream()
            .filter(a -> a.state().equals(ArtifactDelivery.FAILED)).toList();
        return new Verdict(false, "UploadFailed", failed + " of " + (uploaded + failed) + " artifact(s) not uploaded: "
            + String.join(", ", missing.stream().map(SidecarReport.ArtifactRecord::name).toList()) + "; "
            + missing.get(0).message());
      }
      return new Verdict(true, null, outcome.captures().size() + " capture(s) done, " + uploaded
          + " artifact(s) uploaded");
    }
  }
}
