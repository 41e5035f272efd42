package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.delve.DelveTypes.Goroutine;
import dev.gopherscope.sidecar.delve.DelveTypes.Location;
import dev.gopherscope.sidecar.delve.DelveTypes.Stackframe;
import dev.gopherscope.sidecar.pprof.StackFrame;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * One goroutine as a Delve capture saw it.
 *
 * @param id the goroutine id
 * @param labels its pprof labels
 * @param status the runtime's status, e.g. {@code waiting}, {@code running}
 * @param waitReason why it waits, in the runtime's words (e.g. {@code chan receive}); empty if it does not
 * @param waitingMs how long it has waited, approximately: the runtime stamps a waiting goroutine
 *     with the start of the first garbage collection that sees it blocked, so this is a lower
 *     bound, and -1 when no collection has seen it yet
 * @param current where it is now
 * @param user where it is now, ignoring runtime frames
 * @param goStatement the {@code go} statement that started it
 * @param start its start function
 * @param stack its stack, innermost frame first; empty if the budget did not allow reading it
 * @param unreadable why Delve could not read it, or empty
 */
public record CapturedGoroutine(long id, Map<String, String> labels, String status, String waitReason,
    double waitingMs, StackFrame current, StackFrame user, StackFrame goStatement, StackFrame start,
    List<StackFrame> stack, String unreadable) {

  /** The runtime's bit for "being scanned by the GC", set on top of the real status. */
  private static final long SCAN_BIT = 0x1000;
  private static final List<String> STATUS_NAMES = List.of("idle", "runnable", "running", "syscall", "waiting",
      "moribund", "dead", "enqueue", "copystack", "preempted", "leaked", "deadextra");
  private static final long WAITING = 4;
  private static final long SYSCALL = 3;

  public CapturedGoroutine {
    labels = Map.copyOf(labels);
    stack = List.copyOf(stack);
  }

  /**
   * Converts Delve's view.
   *
   * @param waitReasons the target runtime's name for a wait reason code
   * @param nowNanos {@link System#nanoTime()} at the capture: on Linux it reads the same monotonic
   *     clock as the Go runtime's {@code nanotime}, so the two can be subtracted
   */
  static CapturedGoroutine of(Goroutine g, List<Stackframe> stack, LongFunction<String> waitReasons, long nowNanos) {
    long status = g.status() & ~SCAN_BIT;
    boolean waits = (status == WAITING || status == SYSCALL) && g.waitReason() > 0;
    double waitingMs = g.waitSince() > 0 && nowNanos > g.waitSince() ? (nowNanos - g.waitSince()) / 1e6 : -1;
    return new CapturedGoroutine(g.id(), g.labelsOrEmpty(),
        status < STATUS_NAMES.size() ? STATUS_NAMES.get((int) status) : "status(" + status + ")",
        waits ? waitReasons.apply(g.waitReason()) : "", waitingMs,
        frame(g.currentLoc()), frame(g.userCurrentLoc()), frame(g.goStatementLoc()), frame(g.startLoc()),
        stack.stream().map(f -> new StackFrame(f.functionName(), nullToEmpty(f.file()), f.line())).toList(),
        nullToEmpty(g.unreadable()));
  }

  private static StackFrame frame(Location location) {
    return location == null ? new StackFrame("???", "", 0)
        : new StackFrame(location.functionName(), nullToEmpty(location.file()), location.line());
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** The function names of the stack, innermost first. */
  public List<String> stackFunctions() {
    return stack.stream().map(StackFrame::function).toList();
  }
}
