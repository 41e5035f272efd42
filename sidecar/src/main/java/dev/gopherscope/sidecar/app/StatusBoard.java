package dev.gopherscope.sidecar.app;

import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.TargetReport;
import dev.gopherscope.sidecar.output.StatusReporter;
import dev.gopherscope.sidecar.trigger.TriggerOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * This target's entry in the session status as the sidecar walks it: Attached, Armed while a
 * trigger waits, Capturing (a
 * report as each capture starts and as it ends), Uploading, then Done or Failed. It keeps the
 * counters between reports and cuts strings to the CRD's limits (an over-long message would make
 * the API server refuse the whole report). A report the API server refuses is logged and the session goes on:
 * the artifacts matter more than the progress; only the last report's fate is returned.
 */
final class StatusBoard {

  static final int MAX_MESSAGE = 512;
  static final int MAX_REASON = 128;
  static final int MAX_GO_VERSION = 32;
  /**
   * How long the last report keeps trying through an unreachable API server (a restart takes
   * seconds; the operator's default report deadline is 120 s): the artifacts are already uploaded,
   * only the word that they are would be lost.
   */
  static final Duration FINAL_REPORT_PATIENCE = Duration.ofSeconds(90);
  static final Duration ARMED_REPORT_EVERY = Duration.ofSeconds(30);

  private final StatusReporter reporter;
  private final int planned;
  private final Clock clock;
  private final Consumer<String> log;
  private Integer pid;
  private String goVersion;
  private SessionRun.Pauses pauses = SessionRun.Pauses.NONE;
  private int capturesDone;
  private Integer uploaded;
  private Integer failed;
  /** Kept in every later report: a report without it would take the request back (server-side apply). */
  private String debugInfoBuildId;
  /** The trigger's latest figures, kept in every later report for the same reason. */
  private TargetReport.TriggerReport trigger;
  private Instant lastArmedReport;

  StatusBoard(StatusReporter reporter, int planned, Clock clock, Consumer<String> log) {
    this.reporter = reporter;
    this.planned = planned;
    this.clock = clock;
    this.log = log;
  }

  void attached(TargetIdentity target, String message) {
    pid = (int) target.pid();
    goVersion = target.goVersion();
    send("Attached", null, message);
  }

  void capturing(String message) {
    send("Capturing", null, message);
  }

  void captured(int done, SessionRun.Pauses pausesSoFar, String message) {
    capturesDone = done;
    pauses = pausesSoFar;
    send("Capturing", null, message);
  }

  /** Asks the operator for the debug info of build {@code buildId} (see {@code DebugInfoBroker}). */
  void wantsDebugInfo(String buildId) {
    debugInfoBuildId = buildId;
    send("Capturing", null, "the target is stripped; asking for the debug info of build " + buildId);
  }

  /**
   * Armed, with the trigger's figures: at arming, then at most every {@link #ARMED_REPORT_EVERY}
   * (a poll every second must not become a status write every second).
   */
  void armed(TriggerOutcome progress) {
    trigger = progress.report();
    Instant now = clock.instant();
    if (lastArmedReport == null || !now.isBefore(lastArmedReport.plus(ARMED_REPORT_EVERY))) {
      lastArmedReport = now;
      send("Armed", null, progress.message());
    }
  }

  /** The trigger fired (the captures follow) or ended without firing (the final report follows). */
  void triggerEnded(TriggerOutcome outcome, SessionRun.Pauses pausesSoFar) {
    trigger = outcome.report();
    pauses = pausesSoFar;
    if (outcome.fired()) {
      send("Capturing", null, outcome.message());
    }
  }

  void uploading(String message) {
    send("Uploading", null, message);
  }

  /** The final report; false when it did not reach the API server within {@link #FINAL_REPORT_PATIENCE}. */
  boolean finished(boolean done, String reason, String message, int artifactsUploaded, int artifactsFailed) {
    uploaded = artifactsUploaded;
    failed = artifactsFailed;
    return send(done ? "Done" : "Failed", done ? null : reason, message, true);
  }

  /** A failure before any capture (bad plan, no target); false when it did not reach the API server. */
  boolean failedEarly(String reason, String message) {
    return send("Failed", reason, message, true);
  }

  private boolean send(String phase, String reason, String message) {
    return send(phase, reason, message, false);
  }

  private boolean send(String phase, String reason, String message, boolean last) {
    boolean attached = pauses.attaches() > 0;
    TargetReport report = new TargetReport(phase, pid, SidecarReport.cut(goVersion, MAX_GO_VERSION), pauses.longestMs(),
        attached ? pauses.attachMs() : null, attached ? pauses.attaches() : null,
        capturesDone, planned, uploaded, failed, SidecarReport.cut(reason, MAX_REASON),
        SidecarReport.cut(message, MAX_MESSAGE), clock.instant().toString(), debugInfoBuildId, trigger);
    try {
      if (last) {
        reporter.reportFinal(report, clock.instant().plus(FINAL_REPORT_PATIENCE));
      } else {
        reporter.report(report);
      }
      return true;
    } catch (StatusReporter.ReportException e) {
      log.accept("cannot report " + phase + " to the API server: " + e.getMessage());
      return false;
    }
  }

}
