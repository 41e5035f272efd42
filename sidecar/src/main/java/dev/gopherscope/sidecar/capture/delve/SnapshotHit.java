package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.pprof.StackFrame;
import java.util.List;
import java.util.Map;

/**
 * One goroutine stopped at the snapshot's breakpoint.
 *
 * @param goroutineId the goroutine that hit it
 * @param labels its pprof labels (the request's trace, when the app labels one)
 * @param stack its stack at the hit, innermost frame first
 * @param arguments the function's arguments at the hit
 * @param locals its locals at the hit (empty unless requested)
 * @param pausedMs the pause of the stop it was part of (several goroutines can stop together),
 *     from Delve's report of the stop to the confirmed resume
 * @param atEpochMs when the stop was reported, in Unix milliseconds
 */
public record SnapshotHit(long goroutineId, Map<String, String> labels, List<StackFrame> stack,
    List<SnapshotVariable> arguments, List<SnapshotVariable> locals, double pausedMs, long atEpochMs) {

  public SnapshotHit {
    labels = Map.copyOf(labels);
    stack = List.copyOf(stack);
    arguments = List.copyOf(arguments);
    locals = List.copyOf(locals);
  }
}
