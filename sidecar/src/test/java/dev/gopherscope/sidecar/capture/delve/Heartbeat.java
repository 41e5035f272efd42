package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.testsupport.GoDemoProcess;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's {@code /heartbeat}: a goroutine ticking every 10 ms records the largest gap between
 * ticks since the process started, i.e. the longest time it was halted.
 */
public record Heartbeat(long ticks, double maxGapMs) {

  private static final Pattern LINE = Pattern.compile("ticks=(\\d+) max_gap_ms=([0-9.]+)");

  public static Heartbeat of(GoDemoProcess demo) {
    String body = demo.get("/heartbeat");
    Matcher m = LINE.matcher(body);
    if (!m.find()) {
      throw new AssertionError("unexpected /heartbeat answer: " + body);
    }
    return new Heartbeat(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)));
  }
}
