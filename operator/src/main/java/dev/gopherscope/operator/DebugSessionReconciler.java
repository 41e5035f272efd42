package dev.gopherscope.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.MemoryHeadroomCheck;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.TargetPhase;
import dev.gopherscope.api.v1alpha1.TargetStatus;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.operator.config.OperatorConfig;
import dev.gopherscope.operator.credentials.DebugInfoBroker;
import dev.gopherscope.operator.credentials.ObjectStore;
import dev.gopherscope.operator.credentials.SessionCredentials;
import dev.gopherscope.operator.injection.DebuggerContainerSpec;
import dev.gopherscope.operator.injection.EphemeralContainerInjector;
import dev.gopherscope.operator.preflight.PreflightChecks;
import dev.gopherscope.operator.preflight.PreflightFinding;
import dev.gopherscope.operator.preflight.SidecarPlanCheck;
import dev.gopherscope.operator.status.ReportCollector;
import dev.gopherscope.operator.status.SessionEvents;
import dev.gopherscope.operator.status.SessionObservation;
import dev.gopherscope.operator.status.StatusAggregator;
import dev.gopherscope.operator.status.StatusWriter;
import dev.gopherscope.operator.status.TargetObservation;
import dev.gopherscope.operator.targets.ResolvedTarget;
import dev.gopherscope.operator.targets.TargetResolution;
import dev.gopherscope.operator.targets.TargetResolver;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reconciler: observe (targets, their pods, what sidecars reported), validate
 * (pre-flight), act (credentials, injection), then compute and write the status in one place.
 * Sidecars' status reports trigger reconciles, so generation-aware filtering is off; pods are
 * re-read on a short reschedule while a session is active.
 */
@ControllerConfiguration(name = "debugsession", generationAwareEventProcessing = false)
public final class DebugSessionReconciler implements Reconciler<DebugSession>, Cleaner<DebugSession> {

  private static final Logger LOG = LoggerFactory.getLogger(DebugSessionReconciler.class);
  static final Duration ACTIVE_RESYNC = Duration.ofSeconds(2);
  /** How often a session whose reconciles keep failing is tried again once JOSDK's retries are spent. */
  static final Duration ERROR_RESYNC = Duration.ofSeconds(30);
  private static final Set<String> FINAL_RESOLUTION_REASONS = Set.of("PodNotFound", "ContainerNotFound",
      "EmptySelector");

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final ObjectStore store;
  private final TargetResolver resolver;
  private final PreflightChecks preflight;
  private final SessionCredentials credentials;
  private final DebugInfoBroker debugInfo;
  private final EphemeralContainerInjector injector;
  private final StatusWriter statusWriter;
  private final SessionEvents events;
  private final ReportCollector reports;
  private final SessionMetrics metrics;
  private final Clock clock;
  private final Tracer tracer = GlobalOpenTelemetry.getTracer("gopherscope-operator");

  public DebugSessionReconciler(KubernetesClient client, OperatorConfig config, ObjectStore store,
      PreflightChecks preflight, SessionMetrics metrics, Clock clock) {
    this.client = client;
    this.config = config;
    this.store = store;
    this.resolver = new TargetResolver(client, config.maxTargets());
    this.preflight = preflight;
    this.credentials = new SessionCredentials(client, store, config.sidecarApiCaPem());
    this.debugInfo = new DebugInfoBroker(client, store);
    this.injector = new EphemeralContainerInjector(client);
    this.statusWriter = new StatusWriter(client);
    this.events = new SessionEvents(client);
    this.reports = new ReportCollector(store);
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public UpdateControl<DebugSession> reconcile(DebugSession session, Context<DebugSession> context) {
    try {
      return metrics.reconcileDuration().record(() -> traced("reconcile", () -> reconcileSession(session)));
    } catch (RuntimeException e) {
      metrics.reconcileError();
      throw e;
    }
  }

  private UpdateControl<DebugSession> reconcileSession(DebugSession session) {
    Instant now = clock.instant();
    SessionPhase before = session.getStatus() == null ? null : session.getStatus().getPhase();
    if (before != null && before.isFinal()) {
      metrics.phase(session.getMetadata().getUid(), before);
      return expireAfterTtl(session, now);
    }
    JsonNode spec = ContractJson.mapper().valueToTree(session.getSpec());
    Duration timeout = SessionPlanner.timeout(spec);
    Instant deadline = StatusAggregator.deadline(session, timeout);
    String bucket = session.getSpec().getOutput() != null && session.getSpec().getOutput().getBucket() != null
        ? session.getSpec().getOutput().getBucket() : store.defaultBucket();
    String keyPrefix = keyPrefix(session);

    List<TargetObservation> observed = new ArrayList<>();
    String resolutionReason = null;
    String resolutionMessage = null;
    boolean resolutionFinal = false;
    List<TargetStatus> recorded = session.getStatus() == null || session.getStatus().getTargets() == null
        ? List.of() : session.getStatus().getTargets();
    List<ResolvedTarget> targets;
    // Checked while no target is chosen yet, so a refused session never touches a pod.
    PreflightFinding specRefusal = recorded.isEmpty()
        ? SidecarPlanCheck.refusal(session.getSpec()).orElse(null) : null;
    if (!recorded.isEmpty()) {
      // Targets are chosen once; a session never wanders to other pods.
      targets = recorded.stream().map(t -> recordedTarget(session, t)).toList();
    } else if (specRefusal != null) {
      targets = List.of();
    } else if (before == null && metrics.active() >= config.maxConcurrentSessions()) {
      targets = List.of();
      resolutionReason = "TooManySessions";
      resolutionMessage = "the operator runs at most " + config.maxConcurrentSessions()
          + " sessions at once; this one waits for a slot";
    } else {
      TargetResolution resolution = traced("resolve-targets", () -> resolver.resolve(session));
      targets = resolution.targets();
      resolutionReason = resolution.ok() ? null : resolution.reason();
      resolutionMessage = resolution.message();
      resolutionFinal = FINAL_RESOLUTION_REASONS.contains(resolution.reason());
    }

    Namespace namespace = targets.isEmpty() ? null
        : client.namespaces().withName(session.getMetadata().getNamespace()).get();
    boolean identityReady = false;
    for (ResolvedTarget target : targets) {
      TargetStatus previous = recorded.stream().filter(r -> r.getPod().equals(target.podName())).findFirst().orElse(null);
      TargetObservation observation = observe(session, spec, target, previous, namespace, deadline,
          bucket, keyPrefix, timeout, now, identityReady);
      identityReady |= observation.injected();
      observed.add(observation);
    }

    SessionObservation observation = new SessionObservation(session, now, specRefusal, observed, resolutionReason,
        resolutionMessage, resolutionFinal, session.getSpec().getCaptures().size(), timeout,
        config.sidecarReportDeadline(), bucket, keyPrefix);
    DebugSessionStatus status = StatusAggregator.compute(observation);
    boolean done = status.getPhase().isFinal();
    if (done && status.getPhase() != before) {
      // Revoked before the terminal phase is written, so whoever sees Succeeded or Failed can rely
      // on the tokens being gone. Should the write fail, the next reconcile reaches the same phase.
      traced("revoke", () -> {
        credentials.revokeTargets(session);
        return null;
      });
    }
    traced("write-status", () -> statusWriter.apply(session, status));
    metrics.phase(session.getMetadata().getUid(), status.getPhase());
    if (status.getPhase() != before) {
      announce(session, before, status);
    }
    return done ? UpdateControl.<DebugSession>noUpdate().rescheduleAfter(ttl(session))
        : UpdateControl.<DebugSession>noUpdate().rescheduleAfter(ACTIVE_RESYNC);
  }

  /**
   * JOSDK calls this for every failed reconcile: the error goes on the session's Ready condition,
   * never only into a log. An error that cannot pass by retrying fails the session at once with
   * the API server's reason; any other is retried, beyond JOSDK's last attempt too, until the
   * session's timeout, counted from its creation.
   */
  @Override
  public ErrorStatusUpdateControl<DebugSession> updateErrorStatus(DebugSession session, Context<DebugSession> context,
      Exception e) {
    SessionPhase before = session.getStatus() == null ? null : session.getStatus().getPhase();
    if (before != null && before.isFinal()) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    Instant now = clock.instant();
    Duration timeout = SessionPlanner.timeout(ContractJson.mapper().valueToTree(session.getSpec()));
    Instant deadline = StatusAggregator.deadline(session, timeout);
    ReconcileFailure failure = ReconcileFailure.of(e);
    if (!failure.permanent() && !now.isBefore(deadline)) {
      failure = new ReconcileFailure("Timeout", "the session did not finish within " + timeout.toSeconds()
          + "s of its creation; the last reconcile failed: " + failure.message(), true);
    }
    LOG.warn("session {}/{}: {}", session.getMetadata().getNamespace(), session.getMetadata().getName(),
        failure.message());
    String message = failure.permanent() ? failure.message()
        : failure.message() + "; retrying until the session times out at " + deadline;
    DebugSessionStatus status = StatusAggregator.reconcileFailed(session, now, failure.reason(), message,
        failure.permanent());
    if (!recordFailure(session, before, status)) {
      return ErrorStatusUpdateControl.<DebugSession>noStatusUpdate().withNoRetry().rescheduleAfter(ACTIVE_RESYNC);
    }
    if (failure.permanent()) {
      return ErrorStatusUpdateControl.<DebugSession>noStatusUpdate().withNoRetry();
    }
    // JOSDK gives up after its last attempt, but the timeout must still fire: keep trying.
    boolean lastAttempt = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(false);
    Duration untilDeadline = Duration.between(now, deadline);
    return lastAttempt ? ErrorStatusUpdateControl.<DebugSession>noStatusUpdate().withNoRetry()
        .rescheduleAfter(untilDeadline.compareTo(ERROR_RESYNC) < 0 ? untilDeadline : ERROR_RESYNC)
        : ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** Writes the status a failed reconcile leaves; false when even that failed. */
  private boolean recordFailure(DebugSession session, SessionPhase before, DebugSessionStatus status) {
    try {
      if (status.getPhase() == SessionPhase.Failed) {
        // As in reconcile: whoever sees Failed can rely on the sidecars' tokens being gone.
        credentials.revokeTargets(session);
      }
      statusWriter.apply(session, status);
    } catch (RuntimeException e) {
      LOG.warn("session {}/{}: could not record the failure in its status: {}", session.getMetadata().getNamespace(),
          session.getMetadata().getName(), e.toString());
      return false;
    }
    metrics.phase(session.getMetadata().getUid(), status.getPhase());
    if (status.getPhase() != before) {
      announce(session, before, status);
    }
    return true;
  }

  private TargetObservation observe(DebugSession session, JsonNode spec, ResolvedTarget target, TargetStatus previous,
      Namespace namespace, Instant deadline, String bucket, String keyPrefix, Duration timeout, Instant now,
      boolean identityReady) {
    String containerName = SessionNames.debuggerContainer(session);
    Pod pod = target.pod();
    String podName = target.podName();
    if (pod == null) {
      credentials.revokeTarget(session, podName);
      return new TargetObservation(podName, target.container(), containerName, injectionTime(previous), true,
          null, null, previous == null ? null : previous.getReport(), null, null, null, null);
    }
    boolean injected = EphemeralContainerInjector.hasContainer(pod, containerName);
    String warning = null;
    Instant injectionTime = injectionTime(previous);
    if (!injected) {
      if (previous != null && previous.getPhase() == TargetPhase.Failed) {
        // A refusal is final for this session: it must not flip back to Injecting later.
        return failed(podName, target, containerName, previous.getReason(), previous.getMessage());
      }
      SidecarPlan planned = SessionPlanner.plan(spec, new SidecarPlan.SessionRef(session.getMetadata().getNamespace(),
          session.getMetadata().getName(), session.getMetadata().getUid()), podName, target.container(), deadline);
      SidecarPlan plan = planned.needsDelve() ? planned.withDebugInfo(new SidecarPlan.DebugInfoLookup(
          SessionNames.debugInfoSecret(session), debugInfo.location())) : planned;
      MemoryHeadroomCheck headroom = session.getSpec().getMemoryHeadroomCheck() == null
          ? MemoryHeadroomCheck.Enforce : session.getSpec().getMemoryHeadroomCheck();
      List<PreflightFinding> findings = traced("preflight",
          () -> preflight.check(target, namespace, plan.needsDelve(), containerName, headroom));
      Optional<PreflightFinding> refusal = findings.stream().filter(PreflightFinding::refusal).findFirst();
      if (refusal.isPresent()) {
        events.warning(session, refusal.get().reason(), podName + ": " + refusal.get().message());
        return failed(podName, target, containerName, refusal.get().reason(), refusal.get().message());
      }
      warning = findings.stream().map(PreflightFinding::message).findFirst().orElse(null);
      try {
        // Long enough for the sidecar's last report; the Secret is deleted (revoking the token) as
        // soon as the session ends, so this lifetime only bounds a token the operator cannot revoke.
        Duration validFor = timeout.plus(config.sidecarReportDeadline()).plusMinutes(1);
        traced("credentials", () -> {
          if (!identityReady) {
            credentials.ensureIdentity(session, plan.needsDelve());
          }
          store.ensureBucket(bucket);
          credentials.ensureTargetSecret(session, pod, plan, bucket, keyPrefix, validFor);
          return null;
        });
        boolean didInject = traced("inject", () -> injector.inject(pod,
            DebuggerContainerSpec.build(config, containerName, target.container(), SessionNames.targetSecret(session, podName), plan)));
        if (didInject) {
          injectionTime = now;
          Instant created = Instant.parse(session.getMetadata().getCreationTimestamp());
          metrics.injected(Duration.between(created, now).isNegative() ? Duration.ZERO : Duration.between(created, now));
          events.normal(session, "Injected", "debugger container " + containerName + " injected into pod " + podName
              + (plan.needsDelve() ? " (with SYS_PTRACE for Delve)" : " (pprof only, no capability)"));
          events.normal(pod, "DebuggerInjected", "gopherscope session " + session.getMetadata().getName()
              + " added ephemeral container " + containerName);
          LOG.info("injected {} into {}/{}", containerName, pod.getMetadata().getNamespace(), podName);
        }
      } catch (EphemeralContainerInjector.InjectionException e) {
        events.warning(session, "InjectionFailed", e.getMessage());
        return failed(podName, target, containerName, "InjectionFailed", e.getMessage());
      }
    } else if (injectionTime == null) {
      // Injected by an earlier operator process that died before recording when.
      injectionTime = now;
    }
    Optional<ContainerStatus> debugger = pod.getStatus() == null || pod.getStatus().getEphemeralContainerStatuses() == null
        ? Optional.empty() : pod.getStatus().getEphemeralContainerStatuses().stream()
        .filter(s -> containerName.equals(s.getName())).findFirst();
    Integer exit = debugger.map(ContainerStatus::getState).filter(s -> s.getTerminated() != null)
        .map(s -> s.getTerminated().getExitCode()).orElse(null);
    String waiting = debugger.map(ContainerStatus::getState).filter(s -> s.getWaiting() != null)
        .map(s -> s.getWaiting().getReason() + (s.getWaiting().getMessage() == null ? "" : ": " + s.getWaiting().getMessage()))
        .orElse(null);
    var report = previous == null ? null : previous.getReport();
    if (report != null && report.getDebugInfoBuildId() != null && report.getPhase() != TargetPhase.Done
        && report.getPhase() != TargetPhase.Failed) {
      traced("debug-info", () -> {
        debugInfo.answer(session, report.getDebugInfoBuildId());
        return null;
      });
    }
    var fullReport = report != null && report.getPhase() == TargetPhase.Done
        ? reports.fetch(bucket, keyPrefix, podName).orElse(null) : null;
    return new TargetObservation(podName, target.container(), containerName, injectionTime, false, exit, waiting,
        report, fullReport, null, null, warning);
  }

  private static TargetObservation failed(String pod, ResolvedTarget target, String containerName, String reason,
      String message) {
    return new TargetObservation(pod, target.container(), containerName, null, false, null, null, null, null,
        reason == null ? "Failed" : reason, message, null);
  }

  private ResolvedTarget recordedTarget(DebugSession session, TargetStatus recorded) {
    Pod pod = client.pods().inNamespace(session.getMetadata().getNamespace()).withName(recorded.getPod()).get();
    return new ResolvedTarget(recorded.getPod(), pod, recorded.getContainer());
  }

  private static Instant injectionTime(TargetStatus previous) {
    return previous == null || previous.getInjectionTime() == null ? null : Instant.parse(previous.getInjectionTime());
  }

  static String keyPrefix(DebugSession session) {
    if (session.getSpec().getOutput() != null && session.getSpec().getOutput().getPrefix() != null) {
      String prefix = session.getSpec().getOutput().getPrefix();
      return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }
    return session.getMetadata().getNamespace() + "/" + session.getMetadata().getName() + "/"
        + session.getMetadata().getUid() + "/";
  }

  private void announce(DebugSession session, SessionPhase before, DebugSessionStatus status) {
    String message = (before == null ? "" : before + " -> ") + status.getPhase() + ": " + status.getMessage();
    if (status.getPhase() == SessionPhase.Failed) {
      events.warning(session, "Failed", message);
    } else {
      events.normal(session, status.getPhase().name(), message);
    }
    LOG.info("session {}/{} {}", session.getMetadata().getNamespace(), session.getMetadata().getName(), message);
  }

  private UpdateControl<DebugSession> expireAfterTtl(DebugSession session, Instant now) {
    String completed = session.getStatus().getCompletionTime();
    Instant expires = (completed == null ? now : Instant.parse(completed)).plus(ttl(session));
    if (!now.isBefore(expires)) {
      LOG.info("session {}/{} expired after ttlSecondsAfterFinished; deleting it",
          session.getMetadata().getNamespace(), session.getMetadata().getName());
      client.resource(session).delete();
      return UpdateControl.noUpdate();
    }
    return UpdateControl.<DebugSession>noUpdate().rescheduleAfter(Duration.between(now, expires));
  }

  private static Duration ttl(DebugSession session) {
    Integer seconds = session.getSpec().getTtlSecondsAfterFinished();
    return Duration.ofSeconds(seconds == null ? 3600 : seconds);
  }

  @Override
  public DeleteControl cleanup(DebugSession session, Context<DebugSession> context) {
    traced("cleanup", () -> {
      credentials.delete(session);
      return null;
    });
    metrics.forget(session.getMetadata().getUid());
    String bucket = session.getSpec().getOutput() != null && session.getSpec().getOutput().getBucket() != null
        ? session.getSpec().getOutput().getBucket() : store.defaultBucket();
    reports.forget(bucket, keyPrefix(session));
    LOG.info("session {}/{} deleted: removed its ServiceAccount, Role, RoleBinding and Secret; artifacts stay in {}",
        session.getMetadata().getNamespace(), session.getMetadata().getName(),
        ObjectStore.uri(bucket, keyPrefix(session)));
    return DeleteControl.defaultDelete();
  }

  private <T> T traced(String step, Supplier<T> body) {
    Span span = tracer.spanBuilder("debugsession." + step).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return body.get();
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }
}
