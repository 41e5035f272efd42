package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.TargetReport;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A session's state as text: one line for the session, one per target, with the pause so far. */
final class ProgressLines {

  private ProgressLines() {
  }

  /** How long a session may go unanswered before the line asks whether an operator runs at all. */
  static final Duration UNANSWERED = Duration.ofSeconds(20);

  static String session(DebugSession session) {
    return session(session, Instant.now());
  }

  static String session(DebugSession session, Instant now) {
    DebugSessionStatus status = session.getStatus();
    if (status == null || status.getPhase() == null) {
      return session.getMetadata().getName() + "  Pending  (waiting for the operator"
          + (unansweredFor(session, now) ? "; none has answered for " + UNANSWERED.toSeconds() + " s: is it running? "
          + "kubectl get pods -A -l app.kubernetes.io/component=operator,app.kubernetes.io/name=gopherscope" : "") + ")";
    }
    return String.format(Locale.ROOT, "%s  %s  targets %s  captures %s  paused %s%s",
        session.getMetadata().getName(), status.getPhase(), orDash(status.getTargetsSummary()),
        orDash(status.getCapturesSummary()), millis(status.getPausedMs()),
        status.getMessage() == null ? "" : "  " + status.getMessage());
  }

  static List<String> targets(DebugSession session) {
    List<String> lines = new ArrayList<>();
    DebugSessionStatus status = session.getStatus();
    if (status == null || status.getTargets() == null) {
      return lines;
    }
    for (TargetStatus target : status.getTargets()) {
      TargetReport report = target.getReport();
      String message = report != null && report.getMessage() != null ? report.getMessage() : target.getMessage();
      lines.add(String.format(Locale.ROOT, "  pod %s  %s  paused %s%s%s", target.getPod(),
          target.getPhase() == null ? "Pending" : target.getPhase(),
          millis(report == null ? null : report.getPausedMs()),
          report == null || report.getCapturesPlanned() == null ? ""
              : "  captures " + report.getCapturesDone() + "/" + report.getCapturesPlanned(),
          message == null ? "" : "  " + message));
    }
    return lines;
  }

  private static boolean unansweredFor(DebugSession session, Instant now) {
    String created = session.getMetadata().getCreationTimestamp();
    try {
      return created != null && Duration.between(Instant.parse(created), now).compareTo(UNANSWERED) > 0;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static String millis(Long ms) {
    return ms == null ? "0 ms" : ms + " ms";
  }

  private static String orDash(String text) {
    return text == null ? "-" : text;
  }
}
