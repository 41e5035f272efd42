package dev.gopherscope.operator.status;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.SessionCondition;
import dev.gopherscope.api.v1alpha1.SessionCondition.ConditionStatus;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.TargetPhase;
import dev.gopherscope.api.v1alpha1.TargetReport;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import dev.gopherscope.api.v1alpha1.TriggerStatus;
import dev.gopherscope.contract.SidecarReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one place that computes a session's status from an observation: phase, the conditions
 * (Ready plus TargetsResolved, PreflightPassed, Injected, DebuggerAttached, Captured, Uploaded, each
 * with observedGeneration), summaries, results and artifacts. It writes only the fields the
 * operator owns; each target's {@code report} belongs to its sidecar.
 */
public final class StatusAggregator {

  /** A target's reason when its trigger never fired (the sidecar's TriggerOutcome.NEVER_FIRED). */
  static final String NEVER_FIRED = "TriggerNeverFired";

  private StatusAggregator() {
  }

  public static DebugSessionStatus compute(SessionObservation o) {
    DebugSessionStatus previous = o.session().getStatus() == null ? new DebugSessionStatus() : o.session().getStatus();
    long generation = o.session().getMetadata().getGeneration() == null ? 0 : o.session().getMetadata().getGeneration();
    DebugSessionStatus status = new DebugSessionStatus();
    status.setObservedGeneration(generation);
    status.setStartTime(previous.getStartTime() != null ? previous.getStartTime() : o.now().toString());

    Map<String, TargetVerdict> verdicts = o.targets().stream().collect(Collectors.toMap(TargetObservation::pod,
        t -> TargetVerdict.of(t, o.now(), o.reportDeadline()), (a, b) -> a, java.util.LinkedHashMap::new));
    List<TargetStatus> targets = new ArrayList<>();
    for (TargetObservation t : o.targets()) {
      TargetStatus target = new TargetStatus();
      TargetVerdict verdict = verdicts.get(t.pod());
      target.setPod(t.pod());
      target.setContainer(t.container());
      target.setDebuggerContainer(t.injected() ? t.debuggerContainer() : null);
      target.setInjectionTime(t.injected() ? t.injectionTime().toString() : null);
      target.setPhase(verdict.phase());
      target.setReason(verdict.reason());
      String message = verdict.message();
      if (verdict.isFinal() && t.injected()) {
        message = ResultsMerger.cut((message == null ? "" : message + "; ") + "debugger container "
            + t.debuggerContainer() + " remains in the pod (Kubernetes cannot remove ephemeral containers)"
            + (t.debuggerExit() != null ? " and has exited" : ""), 512);
      } else if (t.warning() != null) {
        message = ResultsMerger.cut(t.warning() + (message == null ? "" : "; " + message), 512);
      }
      target.setMessage(ResultsMerger.cut(message, 512));
      targets.add(target);
    }
    status.setTargets(targets);

    List<SidecarReport> fullReports = o.targets().stream().map(TargetObservation::fullReport)
        .filter(Objects::nonNull).toList();
    if (!fullReports.isEmpty()) {
      status.setResults(ResultsMerger.results(fullReports));
      List<Artifact> artifacts = ResultsMerger.artifacts(fullReports, o.bucket(), o.keyPrefix());
      status.setArtifacts(artifacts.subList(0, Math.min(ResultsMerger.ARTIFACTS, artifacts.size())));
      status.setArtifactsOmitted(Math.max(0, artifacts.size() - ResultsMerger.ARTIFACTS));
    }

    List<TargetReport> reports = o.targets().stream().map(TargetObservation::report).filter(Objects::nonNull).toList();
    long finished = verdicts.values().stream().filter(TargetVerdict::isFinal).count();
    status.setTargetsSummary(o.targets().isEmpty() ? "0/0" : finished + "/" + o.targets().size());
    int capturesDone = reports.stream().mapToInt(r -> r.getCapturesDone() == null ? 0 : r.getCapturesDone()).sum();
    status.setCapturesSummary(capturesDone + "/" + (o.capturesPerTarget() * Math.max(1, o.targets().size())));
    status.setPausedMs(reports.stream().mapToLong(r -> r.getPausedMs() == null ? 0 : r.getPausedMs()).max().orElse(0));

    if (o.session().getSpec().getTrigger() != null) {
      status.setTrigger(TriggerSummary.of(reports, previous.getTrigger()));
    }
    Phase phase = phase(o, verdicts);
    status.setPhase(phase.phase());
    status.setMessage(ResultsMerger.cut(phase.message(), 1024));
    if (phase.phase().isFinal()) {
      status.setCompletionTime(previous.getCompletionTime() != null ? previous.getCompletionTime() : o.now().toString());
    }
    status.setConditions(conditions(o, verdicts, phase, previous, generation, status.getTrigger()));
    return status;
  }

  /**
   * The status after a reconcile failed: the operator's last status with the error on Ready, or
   * Failed with it when {@code terminal}. Conditions that said otherwise before stay as they were:
   * the failed reconcile observed nothing new.
   */
  public static DebugSessionStatus reconcileFailed(DebugSession session, Instant now, String reason, String message,
      boolean terminal) {
    DebugSessionStatus status = session.getStatus() == null ? new DebugSessionStatus()
        : StatusWriter.operatorView(session.getStatus());
    long generation = session.getMetadata().getGeneration() == null ? 0 : session.getMetadata().getGeneration();
    List<SessionCondition> previousConditions = status.getConditions() == null ? List.of() : status.getConditions();
    Map<String, SessionCondition> before = previousConditions.stream()
        .collect(Collectors.toMap(SessionCondition::getType, Function.identity()));
    List<SessionCondition> conditions = new ArrayList<>(previousConditions.stream()
        .filter(c -> !c.getType().equals("Ready")).toList());
    conditions.add(new ConditionBuilder(before, generation, now).of("Ready", false, reason, message));
    status.setConditions(conditions);
    status.setObservedGeneration(generation);
    if (status.getStartTime() == null) {
      status.setStartTime(now.toString());
    }
    if (terminal) {
      status.setPhase(SessionPhase.Failed);
      status.setCompletionTime(now.toString());
    } else if (status.getPhase() == null) {
      status.setPhase(SessionPhase.Pending);
    }
    status.setMessage(ResultsMerger.cut(message, 1024));
    return status;
  }

  /** When a session times out: {@code timeout} after its creation, whether or not a status was ever written. */
  public static Instant deadline(DebugSession session, Duration timeout) {
    return Instant.parse(session.getMetadata().getCreationTimestamp()).plus(timeout);
  }

  record Phase(SessionPhase phase, String reason, String message) {
  }

  static Phase phase(SessionObservation o, Map<String, TargetVerdict> verdicts) {
    if (o.specRefusal() != null) {
      return new Phase(SessionPhase.Failed, o.specRefusal().reason(), o.specRefusal().message());
    }
    if (o.targets().isEmpty()) {
      if (o.resolutionFinal()) {
        return new Phase(SessionPhase.Failed, o.resolutionReason(), o.resolutionMessage());
      }
      if (timedOut(o)) {
        return new Phase(SessionPhase.Failed, "Timeout", "no target within the session timeout of "
            + o.timeout().toSeconds() + "s: " + o.resolutionMessage());
      }
      return new Phase(SessionPhase.Pending, o.resolutionReason() == null ? "Resolving" : o.resolutionReason(),
          o.resolutionMessage() == null ? "resolving targets" : o.resolutionMessage());
    }
    boolean allFinal = verdicts.values().stream().allMatch(TargetVerdict::isFinal);
    List<String> failed = verdicts.entrySet().stream().filter(e -> e.getValue().phase() == TargetPhase.Failed)
        .map(e -> e.getKey() + ": " + e.getValue().message()).toList();
    long done = verdicts.values().stream().filter(v -> v.phase() == TargetPhase.Done).count();
    List<String> neverFired = verdicts.entrySet().stream().filter(e -> e.getValue().phase() == TargetPhase.Failed
        && NEVER_FIRED.equals(e.getValue().reason())).map(Map.Entry::getKey).toList();
    if (allFinal) {
      if (done == 0) {
        TargetVerdict first = verdicts.values().iterator().next();
        if (neverFired.size() == verdicts.size()) {
          return new Phase(SessionPhase.Failed, NEVER_FIRED, "the trigger never fired on any of " + verdicts.size()
              + " target(s): " + String.join("; ", failed));
        }
        return new Phase(SessionPhase.Failed, first.reason(), String.join("; ", failed));
      }
      if (!neverFired.isEmpty() && neverFired.size() == failed.size()) {
        // A trigger firing on some pods and not others is what a trigger is for, not a partial failure.
        return new Phase(SessionPhase.Succeeded, "Succeeded", "captured on " + done + " target(s) where the trigger "
            + "fired; it never fired on " + String.join(", ", neverFired));
      }
      return failed.isEmpty()
          ? new Phase(SessionPhase.Succeeded, "Succeeded", "captured on " + done + " target(s)")
          : new Phase(SessionPhase.Succeeded, "PartiallySucceeded", "captured on " + done + " of " + verdicts.size()
              + " target(s); failed: " + String.join("; ", failed));
    }
    List<String> armed = verdicts.entrySet().stream().filter(e -> e.getValue().phase() == TargetPhase.Armed)
        .map(e -> e.getKey() + " (" + e.getValue().message() + ")").toList();
    long unfinished = verdicts.values().stream().filter(v -> !v.isFinal()).count();
    if (timedOut(o) && armed.size() == unfinished) {
      // The sidecars end an unfired trigger themselves before the timeout; these did not get to say so.
      String where = "the trigger never fired within " + o.timeout().toSeconds() + "s on " + String.join(", ", armed);
      return done > 0 ? new Phase(SessionPhase.Succeeded, "Succeeded", "captured on " + done + " target(s) where the "
          + "trigger fired; " + where) : new Phase(SessionPhase.Failed, NEVER_FIRED, where);
    }
    if (timedOut(o)) {
      return new Phase(SessionPhase.Failed, "Timeout", "the session did not finish within " + o.timeout().toSeconds()
          + "s; unfinished: " + verdicts.entrySet().stream().filter(e -> !e.getValue().isFinal())
          .map(e -> e.getKey() + " (" + e.getValue().phase() + ")").collect(Collectors.joining(", ")));
    }
    List<TargetPhase> active = verdicts.values().stream().filter(v -> !v.isFinal()).map(TargetVerdict::phase).toList();
    SessionPhase phase = active.contains(TargetPhase.Pending) ? SessionPhase.Injecting
        : active.contains(TargetPhase.Injected) ? SessionPhase.Attaching
        : active.contains(TargetPhase.Attached) || active.contains(TargetPhase.Capturing) ? SessionPhase.Capturing
        : active.contains(TargetPhase.Armed) && !active.contains(TargetPhase.Uploading) ? SessionPhase.Armed
        : SessionPhase.Uploading;
    return new Phase(phase, phase.name(), verdicts.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue().phase()).collect(Collectors.joining(", ")));
  }

  private static boolean timedOut(SessionObservation o) {
    return o.now().isAfter(deadline(o.session(), o.timeout()));
  }

  private static List<SessionCondition> conditions(SessionObservation o, Map<String, TargetVerdict> verdicts,
      Phase phase, DebugSessionStatus previous, long generation, TriggerStatus trigger) {
    Map<String, SessionCondition> before = previous.getConditions() == null ? Map.of()
        : previous.getConditions().stream().collect(Collectors.toMap(SessionCondition::getType, Function.identity()));
    ConditionBuilder build = new ConditionBuilder(before, generation, o.now());
    List<SessionCondition> conditions = new ArrayList<>();
    if (o.specRefusal() != null) {
      // Refused before any pod was looked at: there is nothing to say about targets.
      conditions.add(build.of("PreflightPassed", false, o.specRefusal().reason(), o.specRefusal().message()));
      conditions.add(build.of("Ready", false, phase.reason(), phase.message()));
      return conditions;
    }
    boolean resolved = !o.targets().isEmpty();
    conditions.add(build.of("TargetsResolved", resolved, resolved ? "TargetsFound" : o.resolutionReason(),
        resolved ? o.targets().stream().map(TargetObservation::pod).collect(Collectors.joining(", "))
            : o.resolutionMessage()));
    if (resolved) {
      List<TargetObservation> refused = o.targets().stream()
          .filter(t -> t.failureReason() != null && !t.injected()).toList();
      List<String> warnings = o.targets().stream().map(TargetObservation::warning).filter(Objects::nonNull).toList();
      boolean checkedAll = o.targets().stream().allMatch(t -> t.injected() || t.failureReason() != null);
      SessionCondition earlier = before.get("PreflightPassed");
      // Pre-flight runs once per target, before injection; later reconciles keep its verdict.
      boolean keepEarlier = checkedAll && refused.isEmpty() && warnings.isEmpty() && earlier != null;
      conditions.add(keepEarlier ? build.of("PreflightPassed", earlier.getStatus() == ConditionStatus.True,
              earlier.getReason(), earlier.getMessage())
          : refused.isEmpty()
          ? build.of("PreflightPassed", true, warnings.isEmpty() ? "Passed" : "PassedWithWarnings",
              warnings.isEmpty() ? "all pre-flight checks passed" : String.join("; ", warnings))
          : build.of("PreflightPassed", false, refused.get(0).failureReason(),
              refused.stream().map(t -> t.pod() + ": " + t.failureMessage()).collect(Collectors.joining("; "))));
      long injected = o.targets().stream().filter(TargetObservation::injected).count();
      conditions.add(build.of("Injected", injected > 0, injected > 0 ? "Injected" : "NotInjected",
          injected + " of " + o.targets().size() + " target(s) have the debugger container"));
      long attached = o.targets().stream().filter(t -> t.report() != null && t.report().getPid() != null).count();
      conditions.add(build.of("DebuggerAttached", attached > 0, attached > 0 ? "Attached" : "NotAttached",
          attached + " of " + o.targets().size() + " sidecar(s) found the Go process"));
      long done = verdicts.values().stream().filter(v -> v.phase() == TargetPhase.Done).count();
      conditions.add(build.of("Captured", done > 0, done > 0 ? "Captured" : "NotCaptured",
          done + " of " + o.targets().size() + " target(s) finished their captures"));
      long uploaded = o.targets().stream().filter(t -> t.fullReport() != null).count();
      int failedUploads = o.targets().stream().filter(t -> t.report() != null && t.report().getArtifactsFailed() != null)
          .mapToInt(t -> t.report().getArtifactsFailed()).sum();
      conditions.add(build.of("Uploaded", uploaded > 0 && failedUploads == 0,
          failedUploads > 0 ? "ArtifactsMissing" : uploaded > 0 ? "Uploaded" : "NotUploaded",
          failedUploads > 0 ? failedUploads + " artifact(s) could not be uploaded; see status.artifacts"
              : uploaded + " report(s) in object storage"));
    }
    if (o.session().getSpec().getTrigger() != null) {
      boolean fired = trigger != null && trigger.getFiredTargets() != null && trigger.getFiredTargets() > 0;
      conditions.add(build.of("Triggered", fired, trigger == null || trigger.getState() == null ? "NotArmed"
          : trigger.getState().name(), TriggerSummary.describe(trigger, o.targets().size())));
    }
    conditions.add(build.of("Ready", phase.phase() == SessionPhase.Succeeded, phase.reason(), phase.message()));
    return conditions;
  }

  /** Builds conditions, keeping lastTransitionTime when the status did not change. */
  private record ConditionBuilder(Map<String, SessionCondition> before, long generation, Instant now) {
    SessionCondition of(String type, boolean ok, String reason, String message) {
      SessionCondition condition = new SessionCondition();
      condition.setType(type);
      condition.setStatus(ok ? ConditionStatus.True : ConditionStatus.False);
      condition.setReason(reason == null || reason.isBlank() ? (ok ? "True" : "False") : reason);
      condition.setMessage(ResultsMerger.cut(message, 1024));
      condition.setObservedGeneration(generation);
      SessionCondition old = before.get(type);
      condition.setLastTransitionTime(old != null && old.getStatus() == condition.getStatus()
          ? old.getLastTransitionTime() : now.toString());
      return condition;
    }
  }
}
