package dev.gopherscope.sidecar.app;

import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarPlan.TriggerKind;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.ArtifactRecord;
import dev.gopherscope.sidecar.capture.ArtifactSink;
import dev.gopherscope.sidecar.capture.CaptureContext;
import dev.gopherscope.sidecar.capture.CaptureFactory;
import dev.gopherscope.sidecar.capture.CaptureResult;
import dev.gopherscope.sidecar.capture.CaptureRunner;
import dev.gopherscope.sidecar.capture.DelveAccess;
import dev.gopherscope.sidecar.capture.SessionFilter;
import dev.gopherscope.sidecar.capture.TraceSummaryTool;
import dev.gopherscope.sidecar.debuginfo.DebugInfoSource;
import dev.gopherscope.sidecar.output.ArtifactSpool;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.pprofhttp.PprofHttpClient;
import dev.gopherscope.sidecar.process.TargetLiveness;
import dev.gopherscope.sidecar.redact.Redactor;
import dev.gopherscope.sidecar.trigger.TriggerOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One target's session, the same in a pod and on a laptop: run the planned captures one after
 * another (bounded memory: one profile at a time), spooling every artifact first, then deliver the
 * artifacts, and always finish with {@code report.json} listing every artifact and how it fared,
 * failed captures included. dlv is attached only if a capture needs it and detached at the end.
 * When the target exits or the spool fills up, the captures left are not started (see
 * {@link SessionStop}); what was spooled before is delivered all the same.
 */
final class SessionRun {

  /** What a mode does while the session runs (report status, print progress). */
  interface Listener {
    void captureStarting(CapturePlan capture);

    void captureDone(int done, CaptureResult result, Pauses pauses);

    void delivering(int artifacts);

    /** The trigger is armed: told at arming and after each poll. */
    default void armed(TriggerOutcome progress) {
    }

    /** The trigger fired or ended without firing. */
    default void triggerEnded(TriggerOutcome outcome, Pauses pauses) {
    }
  }

  /**
   * How long the session has halted the target so far.
   *
   * @param longestMs the longest any one capture, or any attach, halted it
   * @param attachMs the longest any attach of dlv halted it (0 if never attached)
   * @param attaches how many times dlv was started to attach
   */
  record Pauses(long longestMs, long attachMs, int attaches) {

    static final Pauses NONE = new Pauses(0, 0, 0);

    Pauses after(CaptureResult result, DelveAccess delve) {
      return after(result.outcome().pausedMs(), delve);
    }

    /** After a halt of {@code pausedMs} (a capture's longest, or a breakpoint trigger's hit). */
    Pauses after(double pausedMs, DelveAccess delve) {
      long attach = (long) Math.ceil(delve.attachPausedMs());
      return new Pauses(Math.max(longestMs, Math.max((long) Math.ceil(pausedMs), attach)), attach, delve.attaches());
    }
  }

  /**
   * How the session went.
   *
   * @param report how report.json itself fared
   * @param trigger how the trigger fared, when the plan has one
   */
  record Outcome(List<CaptureResult> captures, List<ArtifactRecord> artifacts, ArtifactRecord report,
      Pauses pauses, Optional<TriggerOutcome> trigger) {

    boolean capturesOk() {
      return captures.stream().allMatch(c -> c.outcome().ok());
    }

    long failedCaptures() {
      return captures.stream().filter(c -> !c.outcome().ok()).count();
    }

    /** Every record, report.json last. */
    List<ArtifactRecord> allArtifacts() {
      List<ArtifactRecord> all = new ArrayList<>(artifacts);
      all.add(report);
      return all;
    }

    int count(String state) {
      return (int) allArtifacts().stream().filter(a -> a.state().equals(state)).count();
    }
  }

  /** How long a failed capture waits for a target that may be dying to show as gone (see TargetLiveness). */
  static final Duration EXIT_GRACE = Duration.ofMillis(500);

  private final SidecarPlan plan;
  private final TargetIdentity target;
  private final LabelMatcher filter;
  private final Redactor redactor;
  private final ArtifactSpool spool;
  private final ArtifactDelivery delivery;
  private final Optional<Path> dlv;
  private final DebugInfoSource debugInfo;
  private final Clock clock;
  private final Consumer<String> progress;

  SessionRun(SidecarPlan plan, TargetIdentity target, LabelMatcher filter, Redactor redactor, ArtifactSpool spool,
      ArtifactDelivery delivery, Optional<Path> dlv, DebugInfoSource debugInfo, Clock clock, Consumer<String> progress) {
    this.plan = plan;
    this.target = target;
    this.filter = filter;
    this.redactor = redactor;
    this.spool = spool;
    this.delivery = delivery;
    this.dlv = dlv;
    this.debugInfo = debugInfo;
    this.clock = clock;
    this.progress = progress;
  }

  Outcome run(Listener listener) {
    ArtifactSink sink = new ArtifactSink(spool, plan.artifacts());
    Optional<PprofHttpClient> pprof = Optional.ofNullable(plan.pprof())
        .map(p -> PprofHttpClient.onLoopback(p.port(), p.path()));
    TargetLiveness liveness = TargetLiveness.of(target.pid());
    int planned = plan.captures().size();
    List<CaptureResult> results = new ArrayList<>();
    Pauses pauses = Pauses.NONE;
    Optional<TriggerOutcome> trigger = Optional.empty();
    try (DelveAccess delve = delve()) {
      CaptureContext context = new CaptureContext(plan, filter, redactor, sink, pprof, delve, clock, progress,
          TraceSummaryTool.beside(dlv));
      SessionStop stop = null;
      List<CapturePlan> toRun = plan.captures();
      if (plan.trigger() != null) {
        TriggerOutcome ended = new SessionTrigger(plan.trigger(), context, liveness, clock).await(listener::armed);
        trigger = Optional.of(ended);
        pauses = pauses.after(plan.trigger().kind() == TriggerKind.Breakpoint ? ended.slowestPollMs() : 0, delve);
        progress.accept("trigger " + ended.state() + ": " + ended.message());
        listener.triggerEnded(ended, pauses);
        if (!ended.fired()) {
          // No capture starts, so none is reported as Capturing: the status goes from Armed to the end.
          SessionStop never = SessionStop.triggerEnded(ended.reason(), ended.message());
          plan.captures().forEach(capture -> results.add(never.notStarted(capture)));
          toRun = List.of();
        } else if (plan.trigger().filterByHitLabels() && !ended.hitLabels().isEmpty()) {
          context = context.withFilter(context.filter().withLabels(ended.hitLabels()));
          progress.accept("the captures keep the goroutines labelled as the one that hit: "
              + SessionFilter.describe(context.filter()));
        }
        SessionTrigger.writeDocument(sink, plan.trigger(), ended, context, redactor);
      }
      for (CapturePlan capture : toRun) {
        progress.accept("capture " + (capture.index() + 1) + "/" + planned + ": " + capture.kind()
            + (capture.source() == null ? "" : " from " + capture.source()));
        listener.captureStarting(capture);
        if (stop == null && liveness.exited()) {
          stop = SessionStop.targetExitedBefore(target, capture, planned);
        }
        CaptureResult result;
        if (stop != null) {
          result = stop.notStarted(capture);
        } else {
          result = CaptureRunner.run(CaptureFactory.create(capture), capture, context);
          if (!result.outcome().ok() && liveness.exitedWithin(EXIT_GRACE)) {
            result = SessionStop.targetExitedDuring(target, capture, planned, result);
          } else if (capture.usesDelve()) {
            // A Delve capture cut short by dlv's death may still call itself done with what it had.
            CaptureResult cut = result;
            result = delve.dlvDiedOnItsOwn()
                .map(how -> SessionStop.debuggerExitedDuring(capture, planned, cut, how)).orElse(result);
          }
          stop = SessionStop.causedBy(capture, planned, result);
        }
        results.add(result);
        pauses = pauses.after(result, delve);
        progress.accept("  " + (result.outcome().ok() ? "ok" : "FAILED (" + result.reason() + ")") + ": "
            + result.outcome().message());
        listener.captureDone(results.size(), result, pauses);
      }
    }
    List<SpooledArtifact> written = sink.written();
    listener.delivering(written.size() + 1);
    List<ArtifactRecord> records = new ArrayList<>();
    for (SpooledArtifact artifact : written) {
      records.add(delivery.deliver(artifact));
    }
    boolean attached = pauses.attaches() > 0;
    SidecarReport report = new SidecarReport(plan.pod(), (int) target.pid(), target.goVersion(),
        attached ? pauses.attachMs() : null, attached ? pauses.attaches() : null,
        results.stream().map(CaptureResult::outcome).toList(), records);
    return new Outcome(results, records, deliverReport(sink, report), pauses, trigger);
  }

  /**
   * Spools and delivers report.json. It may use the spool's reserve (see {@link ArtifactSpool}); if
   * even that fails, the record says why, and the artifacts delivered before still count.
   */
  private ArtifactRecord deliverReport(ArtifactSink sink, SidecarReport report) {
    try {
      return delivery.deliver(sink.writeReport(SessionPlanner.REPORT, report));
    } catch (RuntimeException e) {
      progress.accept("cannot spool " + SessionPlanner.REPORT + ": " + e.getMessage());
      return new ArtifactRecord(SessionPlanner.REPORT, ArtifactSink.REPORT_KIND, 0, null, ArtifactDelivery.FAILED,
          "cannot spool it: " + e.getMessage());
    }
  }

  private DelveAccess delve() {
    if (!plan.needsDelve()) {
      return DelveAccess.unavailable("this session planned no Delve capture");
    }
    if (target.process().isEmpty()) {
      return DelveAccess.unavailable("Delve needs the target's binary, which cannot be read: " + target.note());
    }
    if (dlv.isEmpty()) {
      return DelveAccess.unavailable("no dlv binary was given (GOPHERSCOPE_DLV, or --dlv in local mode)");
    }
    return DelveAccess.of(dlv.get(), target.process().get(), Duration.ofMillis(plan.attachPauseBudgetMs()), debugInfo,
        progress);
  }
}
