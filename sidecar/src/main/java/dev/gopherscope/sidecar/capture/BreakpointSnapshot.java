package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.capture.delve.SnapshotCapture;
import dev.gopherscope.sidecar.capture.delve.SnapshotHit;
import dev.gopherscope.sidecar.capture.delve.SnapshotRequest;
import dev.gopherscope.sidecar.capture.delve.SnapshotResult;
import dev.gopherscope.sidecar.capture.delve.SnapshotResult.Outcome;
import dev.gopherscope.sidecar.capture.delve.SnapshotVariable;
import dev.gopherscope.sidecar.redact.Redactor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code Snapshot} capture: a breakpoint at the session's location that records the stack,
 * arguments and (if asked) locals of the goroutines reaching it, through Delve's
 * {@link SnapshotCapture}, which keeps every stop inside the pause budget and always removes the
 * breakpoint. The hits go to {@code snapshot-<index>.json} with variable values and labels redacted.
 * It waits for hits until the session's deadline, less a reserve for uploading.
 */
public final class BreakpointSnapshot implements Capture {

  static final Duration DEADLINE_RESERVE = Duration.ofSeconds(10);
  static final int STACK_DEPTH = 32;

  private final CapturePlan plan;

  public BreakpointSnapshot(CapturePlan plan) {
    this.plan = plan;
  }

  @Override
  public CaptureOutcome run(CaptureContext context) {
    Duration wait = context.remaining().minus(DEADLINE_RESERVE);
    if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new CaptureException("not enough time left before the session's deadline to wait for breakpoint hits");
    }
    SnapshotRequest request;
    try {
      request = new SnapshotRequest(plan.location(), plan.condition(),
          Math.min(SnapshotRequest.MAX_HITS, Math.max(1, plan.maxHits())), plan.loadLocals(), STACK_DEPTH, wait,
          SnapshotRequest.BOUNDED_LOAD);
    } catch (IllegalArgumentException e) {
      throw new CaptureException(e.getMessage(), e);
    }
    context.progress().accept("snapshot: waiting up to " + wait.toSeconds() + " s for " + request.maxHits()
        + " hit(s) at " + request.location());
    SnapshotResult result = new SnapshotCapture().capture(context.delve().attachment(), request,
        context.pauseBudget());
    Redactor redactor = context.redactor();
    List<SnapshotDocument.Hit> hits = result.hits().stream().map(hit -> hit(hit, redactor)).toList();
    context.artifacts().writeJson("snapshot-" + plan.index() + ".json", new SnapshotDocument(context.pod(),
        plan.location(), request.condition(), result.location(), result.outcome().name(), request.maxHits(), hits,
        result.pausedMs(), result.budgetExceeded(), result.breakpointRemoved(), result.message()));
    // A target that exited took the breakpoint with it: the hits it was waiting for never came.
    boolean ok = result.outcome() != Outcome.DELVE_FAILED && result.outcome() != Outcome.DLV_GONE
        && result.outcome() != Outcome.WATCHDOG_KILLED_DLV && result.outcome() != Outcome.TARGET_EXITED;
    return OutcomeBuilder.of(plan).ok(ok).paused(result.pausedMs(), result.budgetExceeded())
        .message(result.message()).build();
  }

  private SnapshotDocument.Hit hit(SnapshotHit hit, Redactor redactor) {
    return new SnapshotDocument.Hit(hit.goroutineId(), Instant.ofEpochMilli(hit.atEpochMs()),
        redactor.labels(hit.labels()), hit.stack(),
        plan.loadArgs() ? redact(hit.arguments(), redactor) : List.of(), redact(hit.locals(), redactor),
        hit.pausedMs());
  }

  /** {@code variables} with their values, and their children's, redacted. */
  public static List<SnapshotVariable> redact(List<SnapshotVariable> variables, Redactor redactor) {
    if (!redactor.active()) {
      return variables;
    }
    return variables.stream().map(v -> new SnapshotVariable(v.name(), v.type(), redactor.redact(v.value()),
        v.length(), redact(v.children(), redactor), v.unreadable())).toList();
  }
}
