package dev.gopherscope.sidecar.capture.delve;

import java.time.Duration;

/**
 * Chooses how many goroutines to ask Delve for next so that the page ends inside the budget.
 *
 * <p>A page costs a fixed part (the round trip, Delve's setup: about 1 to 1.5 ms) plus a part per
 * goroutine Delve examines (about 40 to 60 µs with a label filter on two cores), and both vary
 * with the target and the machine, so they are measured. Half the cheapest page seen stands for
 * the fixed part (low, which makes the per-goroutine part high: the safe side); the per-goroutine
 * part is a running average. The first page is small; each next one is as large as a safety share
 * of the remaining time allows, growing at most fourfold, so that one outlier cannot run far past
 * the budget.
 */
final class PageSizer {

  /** Pages smaller than this cost more in round trips than they scan. */
  static final int MIN_PAGE = 16;
  private static final double SAFETY = 0.6;
  private static final int GROWTH = 4;

  private final int initial;
  private final int max;
  private long cheapestPageNanos = Long.MAX_VALUE;
  private double nanosPerGoroutine = -1;
  private int last;

  PageSizer(int initial, int max) {
    if (initial < MIN_PAGE || max < initial) {
      throw new IllegalArgumentException("need " + MIN_PAGE + " <= initial <= max, got " + initial + ", " + max);
    }
    this.initial = initial;
    this.max = max;
  }

  /** The next page size, or 0 when no worthwhile page fits in {@code remaining}. */
  int next(Duration remaining) {
    if (nanosPerGoroutine < 0) {
      last = initial;
      return initial;
    }
    double usable = remaining.toNanos() * SAFETY - fixedNanos();
    long fits = usable <= 0 ? 0 : (long) (usable / nanosPerGoroutine);
    long size = Math.min(Math.min(fits, max), (long) last * GROWTH);
    if (size < MIN_PAGE) {
      return 0;
    }
    last = (int) size;
    return last;
  }

  /** Learns from a page that examined {@code goroutines} in {@code took}. */
  void observe(long goroutines, Duration took) {
    cheapestPageNanos = Math.min(cheapestPageNanos, took.toNanos());
    double perGoroutine = Math.max(0, took.toNanos() - fixedNanos()) / Math.max(1, goroutines);
    nanosPerGoroutine = nanosPerGoroutine < 0 ? perGoroutine : (nanosPerGoroutine + perGoroutine) / 2;
    nanosPerGoroutine = Math.max(nanosPerGoroutine, 1);
  }

  private double fixedNanos() {
    return cheapestPageNanos == Long.MAX_VALUE ? 0 : cheapestPageNanos / 2.0;
  }
}
