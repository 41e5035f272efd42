package dev.gopherscope.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reading of the demo's {@code /heartbeat}: a goroutine ticks every 10 ms and keeps the longest
 * gap between ticks since the process started, i.e. the longest time it was halted or starved.
 */
record Heartbeat(long ticks, double maxGapMs, long lastTickUnixMs) {

  private static final Pattern LINE =
      Pattern.compile("ticks=(\\d+) max_gap_ms=([0-9.]+) last_tick_unix_ms=(\\d+)");

  static Heartbeat parse(String body) {
    Matcher m = LINE.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("not a heartbeat answer: " + body);
    }
    return new Heartbeat(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Long.parseLong(m.group(3)));
  }

  /**
   * The longest gap between two readings. The demo keeps only the maximum since it started, so the
   * gap is known exactly when that maximum rose between the readings; otherwise all that is known
   * is that it was no longer than the earlier maximum.
   */
  static Gap between(Heartbeat before, Heartbeat after) {
    return after.maxGapMs > before.maxGapMs ? new Gap(after.maxGapMs, true) : new Gap(before.maxGapMs, false);
  }

  /** A longest gap: exact, or an upper bound ({@code exact == false}). */
  record Gap(double ms, boolean exact) {

    String describe() {
      return (exact ? "" : "≤ ") + BenchResults.format(Math.round(ms * 10) / 10.0) + " ms";
    }
  }
}
