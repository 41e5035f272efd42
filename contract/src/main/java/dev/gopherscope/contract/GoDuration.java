package dev.gopherscope.contract;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration syntax ({@code 100ms}, {@code 1m30s}, {@code 1.5h}), as the CRD admits it. */
public final class GoDuration {

  private static final Pattern WHOLE = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)");

  private GoDuration() {
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} saying what is wrong. */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException("not a Go duration (like 100ms, 30s, 1m30s): " + text);
    }
    Matcher part = PART.matcher(text);
    double nanos = 0;
    while (part.find()) {
      double value = Double.parseDouble(part.group(1));
      nanos += value * switch (part.group(2)) {
        case "ns" -> 1d;
        case "us" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        case "h" -> 3600e9;
        default -> throw new IllegalStateException(part.group(2));
      };
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /** {@code text} parsed, or {@code fallback} when it is absent. */
  public static Duration parseOr(String text, Duration fallback) {
    return text == null ? fallback : parse(text);
  }
}
