package dev.gopherscope.contract;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes-style byte quantities as spec.trigger.heapInUseAbove takes them: 512Mi, 2G, 1048576. */
public final class Quantity {

  private static final Pattern FORM = Pattern.compile("([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T)?");

  private Quantity() {
  }

  /**
   * @throws IllegalArgumentException for anything else, or more bytes than a long holds
   */
  public static long bytes(String quantity) {
    Matcher m = FORM.matcher(quantity == null ? "" : quantity.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a byte quantity: '" + quantity + "' (e.g. 512Mi, 2Gi, 500M)");
    }
    long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
      case "Ki" -> 1L << 10;
      case "Mi" -> 1L << 20;
      case "Gi" -> 1L << 30;
      case "Ti" -> 1L << 40;
      case "k" -> 1_000L;
      case "M" -> 1_000_000L;
      case "G" -> 1_000_000_000L;
      default -> 1_000_000_000_000L;
    };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("byte quantity too large: '" + quantity + "'");
    }
  }
}
