package dev.gopherscope.sidecar.app;

import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarPlan.TriggerKind;
import dev.gopherscope.contract.SidecarPlan.TriggerPlan;
import dev.gopherscope.sidecar.capture.ArtifactSink;
import dev.gopherscope.sidecar.capture.BreakpointSnapshot;
import dev.gopherscope.sidecar.capture.CaptureContext;
import dev.gopherscope.sidecar.capture.CaptureException;
import dev.gopherscope.sidecar.capture.SessionFilter;
import dev.gopherscope.sidecar.capture.delve.SnapshotVariable;
import dev.gopherscope.sidecar.pprof.StackFrame;
import dev.gopherscope.sidecar.process.TargetLiveness;
import dev.gopherscope.sidecar.redact.Redactor;
import dev.gopherscope.sidecar.trigger.BreakpointTrigger;
import dev.gopherscope.sidecar.trigger.PolledTrigger;
import dev.gopherscope.sidecar.trigger.TriggerOutcome;
import dev.gopherscope.sidecar.trigger.TriggerOutcome.Reading;
import dev.gopherscope.sidecar.trigger.TriggerOutcome.State;
import dev.gopherscope.sidecar.trigger.TriggerPoll;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The session's wait for its trigger (spec.trigger) before the captures: polled through the
 * app's pprof endpoint, or a breakpoint through Delve, until it fires or the session's deadline
 * less {@link #DEADLINE_RESERVE} (the time to write and upload what the trigger saw). Whatever
 * happened is written to {@code trigger.json}.
 */
final class SessionTrigger {

  /** As for a Snapshot: the time to report and upload after the wait. */
  static final Duration DEADLINE_RESERVE = Duration.ofSeconds(10);

  private final TriggerPlan plan;
  private final CaptureContext context;
  private final TargetLiveness liveness;
  private final Clock clock;

  SessionTrigger(TriggerPlan plan, CaptureContext context, TargetLiveness liveness, Clock clock) {
    this.plan = plan;
    this.context = context;
    this.liveness = liveness;
    this.clock = clock;
  }

  TriggerOutcome await(Consumer<TriggerOutcome> progress) {
    Instant until = context.deadline().minus(DEADLINE_RESERVE);
    context.progress().accept("armed: waiting until " + until + " for " + plan.describe());
    progress.accept(TriggerOutcome.withoutReadings(State.Armed, null, "armed for " + plan.describe(), 0));
    if (plan.kind() == TriggerKind.Breakpoint) {
      Duration wait = Duration.between(clock.instant(), until);
      if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
        return TriggerOutcome.withoutReadings(State.NeverFired, TriggerOutcome.NEVER_FIRED, "the trigger ("
            + plan.describe() + ") had no time left to wait before the session's deadline", 0);
      }
      return new BreakpointTrigger(plan).await(context.delve(), wait, context.pauseBudget());
    }
    try {
      TriggerPoll poll = TriggerPoll.of(plan, context.requirePprof());
      return new PolledTrigger(plan, poll, clock, duration -> Thread.sleep(duration.toMillis()))
          .await(until, liveness::exited, progress);
    } catch (CaptureException e) {
      return TriggerOutcome.withoutReadings(State.Failed, TriggerOutcome.FAILED, e.getMessage(), 0);
    }
  }

  /** trigger.json: the condition, how it fared, every poll kept, and the hit (labels and values redacted). */
  static void writeDocument(ArtifactSink sink, TriggerPlan plan, TriggerOutcome outcome, CaptureContext after,
      Redactor redactor) {
    Hit hit = outcome.hit().map(h -> new Hit(h.goroutineId(), redactor.labels(h.labels()), h.stack(),
        BreakpointSnapshot.redact(h.arguments(), redactor))).orElse(null);
    try {
      sink.writeJson(SessionPlanner.TRIGGER, new Document(plan.kind().name(), plan.describe(), plan.pollIntervalMs(),
          outcome.state().name(), outcome.reason(), outcome.message(), outcome.polls(), outcome.value(),
          outcome.peak(), outcome.slowestPollMs(), outcome.firedAt(), hit,
          outcome.fired() ? SessionFilter.describe(after.filter()) : null, outcome.readings()));
    } catch (RuntimeException e) {
      // The spool is full or the disk failed: the status still says how the trigger fared.
      after.progress().accept("cannot spool " + SessionPlanner.TRIGGER + ": " + e.getMessage());
    }
  }

  /**
   * trigger.json.
   *
   * @param capturesFilter the goroutine filter the captures used after it fired
   */
  record Document(String kind, String condition, long pollIntervalMs, String state, String reason, String message,
      long polls, Long value, Long peak, long slowestPollMs, Instant firedAt, Hit hit, String capturesFilter,
      List<Reading> readings) {
  }

  /** The goroutine that fired a breakpoint trigger. */
  record Hit(long goroutineId, Map<String, String> labels, List<StackFrame> stack, List<SnapshotVariable> arguments) {
  }
}
