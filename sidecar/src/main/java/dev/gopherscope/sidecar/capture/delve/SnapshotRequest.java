package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.delve.DelveTypes.LoadConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * A breakpoint snapshot to take: where, under what condition, how many hits, what to load.
 *
 * @param location a Delve location expression: {@code main.handleCheckout}, {@code cart.go:42},
 *     {@code pkg.(*T).Method}
 * @param condition a Go boolean expression over the location's variables, or empty for every hit.
 *     Delve evaluates it with the target stopped at each hit, so a hot location with a rare
 *     condition pauses the target often, if briefly, without a hit being recorded
 * @param maxHits hits to record before removing the breakpoint, 1 to {@link #MAX_HITS}
 * @param loadLocals whether to load the local variables as well as the arguments
 * @param stackDepth frames to record per hit, 0 to {@link #MAX_STACK_DEPTH}
 * @param timeout the longest to wait for the hits, overall
 * @param load how much of each variable to read
 */
public record SnapshotRequest(String location, String condition, int maxHits, boolean loadLocals, int stackDepth,
    Duration timeout, LoadConfig load) {

  public static final int MAX_HITS = 100;
  public static final int MAX_STACK_DEPTH = 256;
  /** Pointers followed one level, strings to 256 bytes, 32 elements, 16 fields: a snapshot, not a dump. */
  public static final LoadConfig BOUNDED_LOAD = new LoadConfig(true, 1, 256, 32, 16);

  public SnapshotRequest {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("a snapshot needs a location, e.g. main.handleCheckout or cart.go:42");
    }
    condition = condition == null ? "" : condition.strip();
    if (maxHits < 1 || maxHits > MAX_HITS) {
      throw new IllegalArgumentException("maxHits must be between 1 and " + MAX_HITS + ", got " + maxHits);
    }
    if (stackDepth < 0 || stackDepth > MAX_STACK_DEPTH) {
      throw new IllegalArgumentException("stackDepth must be between 0 and " + MAX_STACK_DEPTH + ", got " + stackDepth);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    Objects.requireNonNull(load, "load");
  }

  /** One hit at {@code location}, arguments and locals, 32 frames, within a minute. */
  public static SnapshotRequest at(String location) {
    return new SnapshotRequest(location, "", 1, true, 32, Duration.ofMinutes(1), BOUNDED_LOAD);
  }

  public SnapshotRequest withCondition(String newCondition) {
    return new SnapshotRequest(location, newCondition, maxHits, loadLocals, stackDepth, timeout, load);
  }

  public SnapshotRequest withMaxHits(int newMaxHits) {
    return new SnapshotRequest(location, condition, newMaxHits, loadLocals, stackDepth, timeout, load);
  }

  public SnapshotRequest withLocals(boolean newLoadLocals) {
    return new SnapshotRequest(location, condition, maxHits, newLoadLocals, stackDepth, timeout, load);
  }

  public SnapshotRequest withTimeout(Duration newTimeout) {
    return new SnapshotRequest(location, condition, maxHits, loadLocals, stackDepth, newTimeout, load);
  }
}
