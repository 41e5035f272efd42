package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.capture.delve.SnapshotResult.Outcome;
import dev.gopherscope.sidecar.delve.DelveClient;
import dev.gopherscope.sidecar.delve.DelveClient.PendingStop;
import dev.gopherscope.sidecar.delve.DelveClient.RefusedException;
import dev.gopherscope.sidecar.delve.DelveException;
import dev.gopherscope.sidecar.delve.DelveTypes.Breakpoint;
import dev.gopherscope.sidecar.delve.DelveTypes.BreakpointInfo;
import dev.gopherscope.sidecar.delve.DelveTypes.BreakpointSpec;
import dev.gopherscope.sidecar.delve.DelveTypes.DebuggerState;
import dev.gopherscope.sidecar.delve.DelveTypes.FoundLocation;
import dev.gopherscope.sidecar.delve.DelveTypes.TargetThread;
import dev.gopherscope.sidecar.pprof.StackFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what the target's goroutines hold when they reach a location: a breakpoint that loads
 * the stack, arguments and locals (bounded) at each hit, continues after each, and is removed once
 * enough hits are recorded, the time is up, or another hit would not fit in the pause budget.
 *
 * <p>Each stop is a halt: it is timed from the moment Delve reports it to the confirmed resume,
 * charged to the budget and guarded by the watchdog. A dlv that dies with the breakpoint still in
 * the target leaves its trap instruction in the code, and the target would die of SIGTRAP at the
 * next hit. So the breakpoint's addresses go to dlv's guard before Delve writes them (looked up
 * with {@code FindLocation}) and again once it has, before the target runs again, and the
 * guard writes the original bytes back whenever dlv dies (see
 * {@link DelveAttachment#breakpointWritten}). The cleanest end is still Delve removing it (the
 * guard can only race a SIGKILLed dlv's threads to it, see sidecar/dlv-guard), so every halt while
 * the breakpoint exists is allowed at least {@link #CLEANUP_FLOOR} before the watchdog acts, even
 * when that exceeds the budget. Whatever happens, the capture removes the breakpoint and lets the
 * target run before it returns.
 */
public final class SnapshotCapture {

  /** What a healthy dlv always needs, at most, to remove a breakpoint and resume. */
  static final Duration CLEANUP_FLOOR = Duration.ofSeconds(1);
  private static final AtomicInteger NAMES = new AtomicInteger();

  public SnapshotResult capture(DelveAttachment delve, SnapshotRequest request, PauseBudget budget) {
    if (!delve.isAlive()) {
      return new SnapshotResult(Outcome.DLV_GONE, request.location(), List.of(), 0, false, true,
          "dlv is no longer attached (the watchdog killed it or it exited); attach again to take a snapshot");
    }
    Run run = new Run(delve, request, budget);
    run.execute();
    return run.result();
  }

  /** One snapshot's progress. */
  private static final class Run {

    private final DelveAttachment delve;
    private final DelveClient client;
    private final SnapshotRequest request;
    private final PauseBudget budget;
    private final long deadlineNanos;
    private final List<SnapshotHit> hits = new ArrayList<>();
    private Breakpoint breakpoint;
    private boolean removed;
    private boolean restoredByGuard;
    private Outcome outcome;
    private String failure = "";
    private Duration costliestHalt = Duration.ZERO;
    private Duration paused = Duration.ZERO;

    Run(DelveAttachment delve, SnapshotRequest request, PauseBudget budget) {
      this.delve = delve;
      this.client = delve.client();
      this.request = request;
      this.budget = budget;
      this.deadlineNanos = System.nanoTime() + request.timeout().toNanos();
    }

    void execute() {
      Halt halt = delve.watchdog().begin(budget, CLEANUP_FLOOR);
      try {
        client.halt();
        setBreakpoint();
        if (budget.remaining().minus(halt.elapsed()).compareTo(halt.elapsed().multipliedBy(2)) < 0) {
          outcome = Outcome.PAUSE_BUDGET; // setting it took so much that a hit and the removal would not fit
        }
      } catch (DelveException e) {
        fail(e);
      }
      PendingStop pending = endHalt(halt, List.of());
      while (pending != null) {
        pending = awaitHit(pending);
      }
    }

    /**
     * Looks the location up first, and names where the traps will go to dlv's guard before Delve
     * writes them (see {@link DelveAttachment#breakpointComing}); then has Delve set the breakpoint.
     */
    private void setBreakpoint() {
      List<FoundLocation> places = client.findLocation(request.location());
      if (places.size() != 1) {
        // Delve would accept the expression and set a breakpoint without a place in the code.
        throw new DelveException("dlv found no single place in the code for '" + request.location()
            + "' (no such function or file:line, or it matches several)");
      }
      delve.breakpointComing(places.get(0).addresses());
      try {
        breakpoint = client.createBreakpoint(request.location(), spec());
      } catch (RefusedException e) {
        delve.withdrawCandidates(true);
        throw e;
      }
      delve.breakpointWritten(addresses());
      delve.withdrawCandidates(false);
      if (addresses().isEmpty()) {
        throw new DelveException("dlv set no breakpoint in the code for '" + request.location() + "'");
      }
    }

    private BreakpointSpec spec() {
      return new BreakpointSpec("gopherscope" + NAMES.incrementAndGet(), request.condition(), request.stackDepth(),
          true, request.load(), request.loadLocals() ? request.load() : null);
    }

    /** Waits for the next stop, records it, and returns the next wait, or null when done. */
    private PendingStop awaitHit(PendingStop pending) {
      Optional<DebuggerState> stop;
      try {
        stop = pending.await(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
      } catch (DelveException e) {
        fail(e);
        delve.kill(); // the connection is broken: only dlv's death is sure to let the target run
        return null;
      }
      Halt halt = delve.watchdog().begin(budget, CLEANUP_FLOOR);
      DebuggerState state;
      if (stop.isPresent()) {
        state = stop.get();
      } else {
        // Time is up while the target runs: halt it to remove the breakpoint. The halt's answer
        // also reports a hit that happened at the same moment.
        outcome = Outcome.TIMEOUT;
        try {
          state = client.halt();
        } catch (DelveException e) {
          fail(e);
          endHalt(halt, List.of());
          return null;
        }
      }
      List<TargetThread> found = ours(state);
      if (state.exited()) {
        outcome = Outcome.TARGET_EXITED;
        removed = true;
        delve.breakpointsSet(false);
      } else if (outcome == null) {
        if (hits.size() + found.size() >= request.maxHits()) {
          outcome = Outcome.MAX_HITS;
        } else if (System.nanoTime() >= deadlineNanos) {
          outcome = Outcome.TIMEOUT;
        } else if (budget.remaining().minus(halt.elapsed()).compareTo(costliestHalt.multipliedBy(2)) < 0) {
          outcome = Outcome.PAUSE_BUDGET; // another stop and the removal would not fit
        }
      }
      return endHalt(halt, found);
    }

    /** The stopped threads that stopped at our breakpoint, no more than the hits still wanted. */
    private List<TargetThread> ours(DebuggerState state) {
      if (breakpoint == null) {
        return List.of();
      }
      return state.threadsOrEmpty().stream()
          .filter(t -> t.breakpoint() != null && t.breakpoint().id() == breakpoint.id())
          .limit(Math.max(0, request.maxHits() - hits.size()))
          .toList();
    }

    /**
     * Ends a halt by letting the target run: on to the next stop while the capture goes on, or
     * after removing the breakpoint once it is over. If dlv fails at that, it is killed, so the
     * target never stays halted. Charges the pause and records the stop's hits with it.
     */
    private PendingStop endHalt(Halt halt, List<TargetThread> found) {
      long atEpochMs = System.currentTimeMillis();
      PendingStop next = null;
      try {
        if (outcome == null) {
          next = client.continueUntilStop();
        } else if (outcome != Outcome.TARGET_EXITED) {
          removeBreakpoint();
          client.resumeAndConfirm();
        }
      } catch (DelveException e) {
        fail(e);
        next = null;
        if (!halt.released()) {
          removeAndResumeOrKill();
        }
      } finally {
        HaltOutcome ended = halt.end();
        paused = paused.plus(ended.paused());
        if (ended.paused().compareTo(costliestHalt) > 0) {
          costliestHalt = ended.paused();
        }
        for (TargetThread thread : found) {
          hits.add(hit(thread, ended.pausedMs(), atEpochMs));
        }
      }
      return next;
    }

    private void removeAndResumeOrKill() {
      try {
        removeBreakpoint();
        client.resumeAndConfirm();
      } catch (DelveException e) {
        delve.kill();
      }
    }

    private void removeBreakpoint() {
      if (breakpoint != null && !removed) {
        client.clearBreakpoint(breakpoint.id());
        removed = true;
        delve.breakpointCleared(addresses());
      }
      if (breakpoint == null || removed) {
        delve.breakpointsSet(false);
      }
    }

    /**
     * Records a failed call. The first failure before the watchdog acts is kept for the message,
     * also when the watchdog kills dlv afterwards; a failure after that is only its echo.
     */
    private void fail(DelveException e) {
      if (delve.watchdog().hasReleased()) {
        outcome = Outcome.WATCHDOG_KILLED_DLV;
        return;
      }
      outcome = Outcome.DELVE_FAILED;
      if (failure.isEmpty()) {
        failure = e.getMessage();
      }
    }

    private static SnapshotHit hit(TargetThread thread, double pausedMs, long atEpochMs) {
      BreakpointInfo info = thread.breakpointInfo();
      if (info == null) {
        return new SnapshotHit(thread.goroutineId(), Map.of(), List.of(), List.of(), List.of(), pausedMs, atEpochMs);
      }
      List<StackFrame> stack = info.stacktrace() == null ? List.of() : info.stacktrace().stream()
          .map(f -> new StackFrame(f.functionName(), f.file() == null ? "" : f.file(), f.line())).toList();
      Map<String, String> labels = info.goroutine() == null ? Map.of() : info.goroutine().labelsOrEmpty();
      return new SnapshotHit(thread.goroutineId(), labels, stack, SnapshotVariable.all(info.arguments()),
          SnapshotVariable.all(info.locals()), pausedMs, atEpochMs);
    }

    /** Where Delve wrote the breakpoint; empty if it never did. */
    private List<Long> addresses() {
      return breakpoint == null || breakpoint.addrs() == null ? List.of() : breakpoint.addrs();
    }

    SnapshotResult result() {
      if (delve.watchdog().hasReleased()) {
        outcome = Outcome.WATCHDOG_KILLED_DLV;
      }
      // Whoever killed dlv waited for its guard, which restores the code before it exits.
      restoredByGuard = !removed && !delve.isAlive() && !addresses().isEmpty()
          && delve.trapsRemain(addresses()).isEmpty();
      boolean gone = removed || breakpoint == null || restoredByGuard;
      double pausedMs = paused.toNanos() / 1e6;
      boolean exceeded = budget.spent().compareTo(budget.limit().plus(budget.grace())) > 0
          || outcome == Outcome.WATCHDOG_KILLED_DLV;
      String where = breakpoint == null || breakpoint.addrs() == null || breakpoint.addrs().isEmpty()
          ? request.location() : breakpoint.functionName() + " " + breakpoint.file() + ":" + breakpoint.line();
      return new SnapshotResult(outcome, where, hits, pausedMs, exceeded, gone, message(where, gone, pausedMs));
    }

    private String message(String where, boolean gone, double pausedMs) {
      String recorded = hits.size() + " of " + request.maxHits() + " hits at " + where
          + String.format(Locale.ROOT, ", pausing the target %.1f ms in all", pausedMs);
      String left = restoredByGuard ? "; dlv died with the breakpoint set, and its guard wrote the original code back"
          : gone ? "" : "; dlv was killed with the breakpoint still in the target, which will die of "
          + "SIGTRAP if it reaches " + where + " again: restart it when convenient";
      return switch (outcome) {
        case MAX_HITS -> "recorded " + recorded + left;
        case TIMEOUT -> "timed out after " + request.timeout().toMillis() + " ms with " + recorded + left;
        case PAUSE_BUDGET -> "stopped at the " + budget.limit().toMillis() + " ms pause budget with " + recorded + left;
        case WATCHDOG_KILLED_DLV -> "a halt overran, so the watchdog killed dlv"
            + (failure.isEmpty() ? "" : " (after dlv failed: " + failure + ")") + "; " + recorded + left;
        case TARGET_EXITED -> "the target exited; " + recorded;
        case DELVE_FAILED -> "dlv failed: " + failure + "; " + recorded + left;
        case DLV_GONE -> throw new IllegalStateException("handled before the run");
      };
    }
  }
}
