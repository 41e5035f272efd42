package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.capture.delve.SnapshotVariable;
import dev.gopherscope.sidecar.pprof.StackFrame;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code snapshot-<index>.json}: what goroutines held when they reached a location, one entry per
 * hit, with the session's redact patterns applied to labels and variable values.
 *
 * @param requested the location expression of the session
 * @param location where Delve set the breakpoint ({@code function file:line}), or the expression if it never did
 * @param outcome why the snapshot ended (Delve's words: MAX_HITS, TIMEOUT, PAUSE_BUDGET, ...)
 * @param pausedMs the target's total halted time for this snapshot
 * @param breakpointRemoved whether the breakpoint is known to be gone from the target
 */
public record SnapshotDocument(String pod, String requested, String condition, String location, String outcome,
    int maxHits, List<Hit> hits, double pausedMs, boolean budgetExceeded, boolean breakpointRemoved, String message) {

  /**
   * One goroutine stopped at the location.
   *
   * @param arguments empty when the session set {@code loadArgs: false}
   * @param locals empty unless the session set {@code loadLocals: true}
   */
  public record Hit(long goroutineId, Instant at, Map<String, String> labels, List<StackFrame> stack,
      List<SnapshotVariable> arguments, List<SnapshotVariable> locals, double pausedMs) {
  }
}
