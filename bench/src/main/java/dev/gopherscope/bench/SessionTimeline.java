package dev.gopherscope.bench;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.TargetPhase;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One session's way from {@code kubectl apply} to Succeeded, cut at the moments the session itself
 * records. Each moment is read from the clock of whoever caused it, all on this machine: the
 * operator's {@code injectionTime} and {@code completionTime}, the sidecar's {@code lastReportTime}
 * of each report phase, the debugger process's start time from /proc, and the benchmark's own
 * clock for the apply and for what the watch delivered. The server's creationTimestamp has
 * one-second resolution and is not used.
 */
record SessionTimeline(List<Stage> stages, Duration total, SessionPhase phase, String message) {

  /** The stages in order; a moment that was never seen leaves its stage at -1. */
  static final List<String> STAGE_NAMES = List.of(
      "kubectl apply → DebugSession stored (watch event)",
      "reconcile + pre-flight + injection (→ status.targets[].injectionTime)",
      "kubelet stand-in starts the debugger container (→ its process start; the stand-in polls every 100 ms)",
      "sidecar start: JVM, plan, TLS client, target lookup (→ Attached report stamped)",
      "captures, Attached write included (→ Uploading stamped)",
      "upload (→ Done stamped)",
      "Done write + status aggregation (→ status.completionTime, phase Succeeded)",
      "watch delivers Succeeded to the client");

  record Stage(String name, double millis, String clock) {
  }

  static SessionTimeline of(LocalControlPlane.Observed observed) {
    Instant created = null;
    Instant injected = null;
    Instant attached = null;
    Instant uploading = null;
    Instant done = null;
    Instant completed = null;
    Instant terminalSeen = null;
    for (LocalControlPlane.Event event : observed.events()) {
      if (created == null) {
        created = event.received();
      }
      DebugSessionStatus status = event.session().getStatus();
      if (status == null) {
        continue;
      }
      TargetStatus target = status.getTargets() == null || status.getTargets().isEmpty() ? null
          : status.getTargets().get(0);
      if (target != null && injected == null) {
        injected = parse(target.getInjectionTime());
      }
      if (target != null && target.getReport() != null && target.getReport().getPhase() != null) {
        TargetPhase phase = target.getReport().getPhase();
        Instant at = parse(target.getReport().getLastReportTime());
        if (phase == TargetPhase.Attached && attached == null) {
          attached = at;
        } else if (phase == TargetPhase.Uploading && uploading == null) {
          uploading = at;
        } else if ((phase == TargetPhase.Done || phase == TargetPhase.Failed) && done == null) {
          done = at;
        }
      }
      if (terminalSeen == null && (status.getPhase() == SessionPhase.Succeeded
          || status.getPhase() == SessionPhase.Failed)) {
        terminalSeen = event.received();
        completed = parse(status.getCompletionTime());
      }
    }
    List<Instant> moments = new ArrayList<>(List.of(observed.applied()));
    moments.add(created);
    moments.add(injected);
    moments.add(observed.sidecarStarted());
    moments.add(attached);
    moments.add(uploading);
    moments.add(done);
    moments.add(completed);
    moments.add(terminalSeen);
    List<String> clocks = List.of("benchmark", "operator", "/proc", "sidecar", "sidecar", "sidecar", "operator",
        "benchmark");
    List<Stage> stages = new ArrayList<>();
    for (int i = 0; i < STAGE_NAMES.size(); i++) {
      Instant from = moments.get(i);
      Instant to = moments.get(i + 1);
      stages.add(new Stage(STAGE_NAMES.get(i), from == null || to == null ? -1
          : Duration.between(from, to).toNanos() / 1e6, clocks.get(i)));
    }
    DebugSession last = observed.last();
    String message = last == null || last.getStatus() == null ? "no status" : last.getStatus().getMessage();
    return new SessionTimeline(stages, terminalSeen == null ? null : Duration.between(observed.applied(), terminalSeen),
        observed.phase(), message);
  }

  double totalMillis() {
    return total == null ? -1 : total.toNanos() / 1e6;
  }

  /** The time of the session's sidecar from its process start to Done. */
  double sidecarMillis() {
    double sum = 0;
    for (int i = 3; i <= 5; i++) {
      if (stages.get(i).millis() < 0) {
        return -1;
      }
      sum += stages.get(i).millis();
    }
    return sum;
  }

  /** "name 12 ms, name 34 ms, ...", for a comparison column. */
  String describe() {
    List<String> parts = new ArrayList<>();
    for (Stage stage : stages) {
      parts.add(stage.name().replaceAll(" \\(.*", "") + " " + (stage.millis() < 0 ? "n/a"
          : PauseBench.fmt(stage.millis()) + " ms"));
    }
    return String.join("; ", parts);
  }

  private static Instant parse(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
