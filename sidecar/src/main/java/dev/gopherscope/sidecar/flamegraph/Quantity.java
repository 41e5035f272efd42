package dev.gopherscope.sidecar.flamegraph;

import java.util.Locale;

/**
 * A sample value in its pprof unit, as a person reads it: {@code 1.98 s}, {@code 12.4 MiB},
 * {@code 1,234}. Units pprof knows by name are scaled; any other is printed after the number.
 */
public record Quantity(long value, String unit) {

  private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  @Override
  public String toString() {
    return switch (unit) {
      case "nanoseconds" -> duration(value);
      case "bytes" -> bytes(value);
      case "count", "" -> String.format(Locale.ROOT, "%,d", value);
      default -> String.format(Locale.ROOT, "%,d %s", value, unit);
    };
  }

  private static String duration(long nanos) {
    // On the magnitude: a difference of profiles is negative where time shrank.
    long magnitude = Math.abs(nanos);
    if (magnitude >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
    if (magnitude >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f µs", nanos / 1e3);
  }

  private static String bytes(long bytes) {
    double scaled = bytes;
    int unit = 0;
    while (Math.abs(scaled) >= 1024 && unit < BYTE_UNITS.length - 1) {
      scaled /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", scaled, BYTE_UNITS[unit]);
  }
}
