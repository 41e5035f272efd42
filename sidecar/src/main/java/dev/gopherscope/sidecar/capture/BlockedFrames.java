package dev.gopherscope.sidecar.capture;

import java.util.List;
import java.util.Set;

/**
 * Whether a goroutine is blocked, read off its stack: it is when its top (innermost) frame is
 * one of the Go runtime's parking functions. Every way a goroutine waits in Go (a channel
 * operation, {@code select}, a mutex or semaphore, a condition variable, {@code time.Sleep},
 * network I/O) ends in {@code runtime.gopark} or {@code runtime.goparkunlock}, which is what a
 * goroutine profile shows on top; {@code runtime.notetsleepg} is the older park used by signal
 * delivery. The callers of the park ({@code runtime.selectgo}, {@code sync.runtime_Semacquire*},
 * {@code time.Sleep}, {@code runtime.netpollblock}, ...) count too when they are on top, for stacks
 * recorded without the runtime frames. A goroutine that is running, runnable, or inside a system
 * call is not blocked by this rule; nor is one whose stack is unknown.
 */
public final class BlockedFrames {

  private static final Set<String> PARK_FUNCTIONS = Set.of(
      "runtime.gopark", "runtime.goparkunlock", "runtime.notetsleepg", "runtime.park_m",
      "runtime.selectgo", "runtime.block", "runtime.chanrecv", "runtime.chanrecv1", "runtime.chanrecv2",
      "runtime.chansend", "runtime.chansend1", "runtime.semacquire", "runtime.semacquire1",
      "runtime.netpollblock", "internal/poll.runtime_pollWait", "time.Sleep");
  private static final List<String> PARK_PREFIXES = List.of(
      "sync.runtime_Semacquire", "sync.runtime_notifyList", "internal/sync.runtime_Semacquire");

  private BlockedFrames() {
  }

  /** Whether the goroutine whose stack has {@code topFunction} innermost is blocked. */
  public static boolean isParked(String topFunction) {
    if (topFunction == null) {
      return false;
    }
    if (PARK_FUNCTIONS.contains(topFunction)) {
      return true;
    }
    for (String prefix : PARK_PREFIXES) {
      if (topFunction.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a goroutine with this stack (function names, innermost first) is blocked. */
  public static boolean isBlocked(List<String> functions) {
    return !functions.isEmpty() && isParked(functions.get(0));
  }

  /**
   * The stack without the runtime's own frames on top, for a short summary: a person wants to see
   * {@code main.waitOnChannel}, not {@code runtime.gopark}.
   */
  public static List<String> withoutRuntimeTop(List<String> functions) {
    int first = 0;
    while (first < functions.size() - 1 && functions.get(first).startsWith("runtime.")) {
      first++;
    }
    return functions.subList(first, functions.size());
  }
}
