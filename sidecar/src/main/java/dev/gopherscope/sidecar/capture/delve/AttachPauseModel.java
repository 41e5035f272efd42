package dev.gopherscope.sidecar.capture.delve;

import java.time.Duration;
import java.util.Locale;

/**
 * Predicts how long attaching dlv halts a target from how much DWARF its binary carries: dlv stops
 * the target first and only then loads the debug info, so the pause grows with it. Linear, fitted
 * on this machine (bench/results.md section 4, {@code make bench BENCH=footprint}): dlv loading the
 * demo (5.1 MiB of DWARF), dlv (12.8), etcd (21.5), kubectl (48.6) and kube-apiserver (100), plus
 * the attaches of figure 1 and of {@code AttachPauseModelTest}'s notes.
 *
 * @param fixed what any attach costs (ptrace stops, the first RPCs, the warm-up listing)
 * @param perMib what each MiB of inflated DWARF adds
 */
public record AttachPauseModel(Duration fixed, Duration perMib) {

  private static final double MIB = 1024 * 1024;

  public static AttachPauseModel measured() {
    return new AttachPauseModel(Duration.ofMillis(125), Duration.ofMillis(30));
  }

  /** The predicted pause for a binary with {@code dwarfBytes} of inflated DWARF. */
  public Prediction predict(long dwarfBytes) {
    double mib = dwarfBytes / MIB;
    long nanos = fixed.toNanos() + Math.round(perMib.toNanos() * Math.min(mib, 1e9));
    return new Prediction(Duration.ofNanos(nanos), dwarfBytes);
  }

  /** A predicted attach pause and what it was predicted from. */
  public record Prediction(Duration pause, long dwarfBytes) {

    public boolean fits(Duration budget) {
      return pause.compareTo(budget) <= 0;
    }

    /** {@code predicted 1,234 ms from 40.1 MiB of DWARF}. */
    public String describe() {
      return String.format(Locale.ROOT, "predicted %,d ms from %.1f MiB of DWARF", pause.toMillis(), dwarfBytes / MIB);
    }
  }
}
