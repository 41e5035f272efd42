package dev.gopherscope.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionSpec;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.SessionCondition;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.TargetPhase;
import dev.gopherscope.api.v1alpha1.TargetReport;
import dev.gopherscope.api.v1alpha1.Trigger;
import dev.gopherscope.api.v1alpha1.TriggerReport;
import dev.gopherscope.api.v1alpha1.TriggerState;
import dev.gopherscope.operator.preflight.PreflightFinding;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static DebugSession session(DebugSessionStatus status) {
    DebugSession session = new DebugSession();
    session.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("ns").withGeneration(1L)
        .withCreationTimestamp(T0.toString()).build());
    session.setSpec(new DebugSessionSpec());
    session.setStatus(status);
    return session;
  }

  private static TargetReport report(TargetPhase phase, int done) {
    TargetReport report = new TargetReport();
    report.setPhase(phase);
    report.setPid(7);
    report.setCapturesDone(done);
    report.setPausedMs(12L);
    return report;
  }

  private static TargetObservation target(String pod, Instant injected, TargetReport report) {
    return new TargetObservation(pod, "app", "gs-s-1", injected, false, null, null, report, null, null, null, null);
  }

  private static SessionObservation observe(DebugSession session, Instant now, List<TargetObservation> targets) {
    return new SessionObservation(session, now, null, targets, null, null, false, 2, Duration.ofMinutes(10), DEADLINE,
        "bucket", "ns/s/uid/");
  }

  private static DebugSession triggered() {
    DebugSession session = session(null);
    Trigger trigger = new Trigger();
    trigger.setGoroutinesAbove(500L);
    session.getSpec().setTrigger(trigger);
    return session;
  }

  private static TargetReport armed(TriggerState state, String message, String firedTime) {
    TargetReport report = report(state == TriggerState.Armed ? TargetPhase.Armed
        : state == TriggerState.Fired ? TargetPhase.Done : TargetPhase.Failed, state == TriggerState.Fired ? 2 : 0);
    TriggerReport trigger = new TriggerReport();
    trigger.setState(state);
    trigger.setPolls(12L);
    trigger.setFiredTime(firedTime);
    report.setTrigger(trigger);
    report.setMessage(message);
    report.setReason(state == TriggerState.NeverFired ? "TriggerNeverFired" : null);
    return report;
  }

  @Test
  void anArmedSessionIsArmedUntilATargetFires() {
    DebugSessionStatus status = StatusAggregator.compute(observe(triggered(), T0.plusSeconds(5), List.of(
        target("a", T0, armed(TriggerState.Armed, "armed for goroutines above 500: 3 poll(s)", null)),
        target("b", T0, armed(TriggerState.Armed, "armed for goroutines above 500: 2 poll(s)", null)))));
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Armed);
    assertThat(status.getTrigger().getState()).isEqualTo(TriggerState.Armed);
    assertThat(status.getTrigger().getFiredTargets()).isZero();
    assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Triggered")).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo(SessionCondition.ConditionStatus.False));
  }

  @Test
  void aTriggerThatFiredOnOnePodAndNeverOnTheOtherIsASuccess() {
    DebugSessionStatus status = StatusAggregator.compute(observe(triggered(), T0.plusSeconds(50), List.of(
        target("a", T0, armed(TriggerState.Fired, "2 capture(s) done", "2026-11-26T09:00:20Z")),
        target("b", T0, armed(TriggerState.NeverFired, "the trigger (goroutines above 500) never fired", null)))));
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Succeeded);
    assertThat(status.getMessage()).isEqualTo("captured on 1 target(s) where the trigger fired; it never fired on b");
    assertThat(status.getTrigger().getState()).isEqualTo(TriggerState.Fired);
    assertThat(status.getTrigger().getFirstFiredTime()).isEqualTo("2026-11-26T09:00:20Z");
    assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Triggered")).singleElement()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo(SessionCondition.ConditionStatus.True);
          assertThat(c.getMessage()).isEqualTo("fired on 1 of 2 target(s), first at 2026-11-26T09:00:20Z");
        });
  }

  @Test
  void aTriggerThatNeverFiredAnywhereFailsTheSessionSayingSo() {
    DebugSessionStatus status = StatusAggregator.compute(observe(triggered(), T0.plusSeconds(50), List.of(
        target("a", T0, armed(TriggerState.NeverFired, "the trigger (goroutines above 500) never fired: peak 80",
            null)))));
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(status.getTrigger().getState()).isEqualTo(TriggerState.NeverFired);
    assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
        .satisfies(c -> {
          assertThat(c.getReason()).isEqualTo("TriggerNeverFired");
          assertThat(c.getMessage()).isEqualTo("the trigger never fired on any of 1 target(s): a: the trigger "
              + "(goroutines above 500) never fired: peak 80");
        });
  }

  @Test
  void aSessionStillArmedAtItsTimeoutFailsAsNeverFiredNotAsStuck() {
    DebugSessionStatus status = StatusAggregator.compute(observe(triggered(), T0.plus(Duration.ofMinutes(11)),
        List.of(target("a", T0, armed(TriggerState.Armed, "armed for goroutines above 500: 119 poll(s)", null)))));
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(status.getMessage()).isEqualTo("the trigger never fired within 600s on a (armed for goroutines above "
        + "500: 119 poll(s))");
  }

  @Test
  void oneDoneAndOneFailedTargetIsAPartialSuccess() {
    DebugSessionStatus status = StatusAggregator.compute(observe(session(null), T0, List.of(
        target("a", T0, report(TargetPhase.Done, 2)),
        new TargetObservation("b", "app", "gs-s-1", null, false, null, null, null, null, "PodSecurityForbidsPtrace",
            "baseline forbids it", null))));
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Succeeded);
    assertThat(status.getTargetsSummary()).isEqualTo("2/2");
    assertThat(status.getCapturesSummary()).isEqualTo("2/4");
    assertThat(status.getPausedMs()).isEqualTo(12);
    assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
        .satisfies(c -> {
          assertThat(c.getReason()).isEqualTo("PartiallySucceeded");
          assertThat(c.getMessage()).contains("b: baseline forbids it");
        });
  }

  @Test
  void aSilentSidecarFailsAfterTheDeadlineWithTheKubeletsReason() {
    TargetObservation silent = new TargetObservation("a", "app", "gs-s-1", T0, false, null,
        "ImagePullBackOff: back-off pulling image", null, null, null, null, null);
    assertThat(StatusAggregator.compute(observe(session(null), T0.plusSeconds(30), List.of(silent))).getPhase())
        .isEqualTo(SessionPhase.Attaching);
    DebugSessionStatus failed = StatusAggregator.compute(observe(session(null), T0.plusSeconds(61), List.of(silent)));
    assertThat(failed.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(failed.getTargets().get(0).getReason()).isEqualTo("SidecarNotReporting");
    assertThat(failed.getMessage()).contains("within 60s", "ImagePullBackOff");
  }

  @Test
  void aDebuggerThatExitsBeforeReportingFailsItsTarget() {
    TargetObservation exited = new TargetObservation("a", "app", "gs-s-1", T0, false, 2, null, null, null, null,
        null, null);
    DebugSessionStatus status = StatusAggregator.compute(observe(session(null), T0.plusSeconds(1), List.of(exited)));
    assertThat(status.getTargets().get(0).getPhase()).isEqualTo(TargetPhase.Failed);
    assertThat(status.getTargets().get(0).getMessage()).contains("exited with code 2", "kubectl logs a -c gs-s-1");
  }

  @Test
  void theSessionTimesOutNamingWhatIsUnfinished() {
    DebugSessionStatus started = new DebugSessionStatus();
    started.setStartTime(T0.toString());
    DebugSessionStatus status = StatusAggregator.compute(observe(session(started), T0.plus(Duration.ofMinutes(11)),
        List.of(target("a", T0, report(TargetPhase.Capturing, 1)))));
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(status.getMessage()).contains("did not finish within 600s", "a (Capturing)");
  }

  @Test
  void theTimeoutCountsFromCreationEvenWithoutAnyStatus() {
    SessionObservation waiting = new SessionObservation(session(null), T0.plus(Duration.ofMinutes(11)), null,
        List.of(), "NoPodsMatch", "no pod matches app=x", false, 2, Duration.ofMinutes(10), DEADLINE, "bucket",
        "ns/s/uid/");
    DebugSessionStatus status = StatusAggregator.compute(waiting);
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(status.getMessage()).contains("no target within the session timeout of 600s", "no pod matches app=x");
  }

  @Test
  void theTimeoutCountsFromCreationNotFromTheFirstStatus() {
    DebugSessionStatus lateStart = new DebugSessionStatus();
    lateStart.setStartTime(T0.plus(Duration.ofMinutes(5)).toString());
    DebugSessionStatus status = StatusAggregator.compute(observe(session(lateStart), T0.plus(Duration.ofMinutes(11)),
        List.of(target("a", T0, report(TargetPhase.Capturing, 1)))));
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("Timeout"));
  }

  @Test
  void aFailedReconcileOnAFreshSessionLeavesItPendingWithTheErrorOnReady() {
    DebugSessionStatus status = StatusAggregator.reconcileFailed(session(null), T0, "Forbidden",
        "the API server answered 403 Forbidden: pods is forbidden; retrying", false);
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Pending);
    assertThat(status.getStartTime()).isEqualTo(T0.toString());
    assertThat(status.getCompletionTime()).isNull();
    assertThat(status.getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo(SessionCondition.ConditionStatus.False);
      assertThat(c.getReason()).isEqualTo("Forbidden");
      assertThat(c.getMessage()).contains("403 Forbidden: pods is forbidden");
      assertThat(c.getObservedGeneration()).isEqualTo(1);
    });
  }

  @Test
  void aPermanentReconcileFailureFailsTheSessionKeepingWhatItObservedBefore() {
    DebugSessionStatus capturing = StatusAggregator.compute(observe(session(null), T0,
        List.of(target("a", T0, report(TargetPhase.Capturing, 1)))));
    capturing.getTargets().get(0).setReport(report(TargetPhase.Capturing, 1));
    DebugSessionStatus failed = StatusAggregator.reconcileFailed(session(capturing), T0.plusSeconds(5), "BadRequest",
        "the API server answered 400 BadRequest: unable to parse requirement", true);
    assertThat(failed.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(failed.getCompletionTime()).isEqualTo(T0.plusSeconds(5).toString());
    assertThat(failed.getTargets()).singleElement().satisfies(t -> {
      assertThat(t.getPod()).isEqualTo("a");
      assertThat(t.getReport()).as("the sidecar's field, not the operator's to write").isNull();
    });
    assertThat(failed.getConditions()).extracting(SessionCondition::getType)
        .containsExactlyElementsOf(capturing.getConditions().stream().map(SessionCondition::getType).toList());
    assertThat(failed.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("BadRequest"));
  }

  @Test
  void aRefusedSpecFailsAtOnceWithoutLookingForTargets() {
    SessionObservation refused = new SessionObservation(session(null), T0,
        PreflightFinding.refuse("InvalidRedactPattern", "spec.redact: pattern #1 is not valid RE2"), List.of(), null,
        null, false, 2, Duration.ofMinutes(10), DEADLINE, "bucket", "ns/s/uid/");
    DebugSessionStatus status = StatusAggregator.compute(refused);
    assertThat(status.getPhase()).isEqualTo(SessionPhase.Failed);
    assertThat(status.getMessage()).isEqualTo("spec.redact: pattern #1 is not valid RE2");
    assertThat(status.getConditions()).extracting(SessionCondition::getType).containsExactly("PreflightPassed", "Ready");
    assertThat(status.getConditions()).allSatisfy(c -> {
      assertThat(c.getStatus()).isEqualTo(SessionCondition.ConditionStatus.False);
      assertThat(c.getReason()).isEqualTo("InvalidRedactPattern");
    });
  }

  @Test
  void anUnchangedConditionKeepsItsTransitionTime() {
    DebugSessionStatus first = StatusAggregator.compute(observe(session(null), T0,
        List.of(target("a", T0, report(TargetPhase.Capturing, 0)))));
    DebugSessionStatus second = StatusAggregator.compute(observe(session(first), T0.plusSeconds(5),
        List.of(target("a", T0, report(TargetPhase.Capturing, 1)))));
    SessionCondition injectedBefore = first.getConditions().stream().filter(c -> c.getType().equals("Injected"))
        .findFirst().orElseThrow();
    SessionCondition injectedAfter = second.getConditions().stream().filter(c -> c.getType().equals("Injected"))
        .findFirst().orElseThrow();
    assertThat(injectedAfter.getLastTransitionTime()).isEqualTo(injectedBefore.getLastTransitionTime());
    assertThat(second.getStartTime()).isEqualTo(first.getStartTime());
    assertThat(second.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1));
  }
}
