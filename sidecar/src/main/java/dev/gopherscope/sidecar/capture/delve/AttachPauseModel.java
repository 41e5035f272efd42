package dev.gopherscope.sidecar.capture.delve;

import java.time.Duration;
import java.util.Locale;

/**
 * Predicts how long attaching dlv halts a target from how much DWARF its binary carries: dlv stops
 * the target first and only then loads the debug info, so the pause grows with it. Linear, least
 * squares over the sidecar's own attaches (warm-up included) with dlv 1.27.2 on two idle cores,
 * medians of 3: the demo (5.1 MiB of inflated DWARF) 693 ms, dlv's own binary (12.8 MiB) 1,710 ms,
 * etcd (21.5 MiB) 1,559 ms. It is rough: off by -28 % to +82 % on those, since DWARF is not all
 * that matters (dlv attaches slower than the larger etcd). {@code dlv exec} loads the same binaries
 * two to three times faster (bench/results.md section 4), so a fit on those would under-predict.
 * The watchdog, not the prediction, is what bounds the pause; the prediction only spares the
 * target an attach that has no chance (kube-apiserver's 100 MiB: about 5.8 s).
 *
 * @param fixed what any attach costs (ptrace stops, the first RPCs, the warm-up listing)
 * @param perMib what each MiB of inflated DWARF adds
 */
public record AttachPauseModel(Duration fixed, Duration perMib) {

  private static final double MIB = 1024 * 1024;

  public static AttachPauseModel measured() {
    return new AttachPauseModel(Duration.ofMillis(650), Duration.ofMillis(51));
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
