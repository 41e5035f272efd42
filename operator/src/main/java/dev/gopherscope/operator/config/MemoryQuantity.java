package dev.gopherscope.operator.config;

import io.fabric8.kubernetes.api.model.Quantity;

/** Kubernetes memory quantities ({@code 96Mi}, {@code 1G}, {@code 134217728}) in bytes. */
public final class MemoryQuantity {

  private MemoryQuantity() {
  }

  public static long parse(String text) {
    try {
      return Quantity.getAmountInBytes(new Quantity(text)).longValueExact();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a memory quantity (like 96Mi): " + text, e);
    }
  }

  /** Bytes as the nearest Mi, for messages a person reads. */
  public static String mebibytes(long bytes) {
    return Math.round(bytes / (1024.0 * 1024.0)) + "Mi";
  }
}
