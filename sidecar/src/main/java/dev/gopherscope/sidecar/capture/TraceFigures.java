package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarReport.Pauses;
import dev.gopherscope.contract.SidecarReport.TracedGoroutine;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code trace-summary} (sidecar/trace-summary) read from an execution trace: its JSON, field
 * for field. Durations are nanoseconds.
 */
public record TraceFigures(long durationNs, long gomaxprocs, long heapLiveBytes, long heapGoalBytes, int gcCycles,
    Durations gcPauses, Durations stwPauses, Durations schedLatency, int goroutines, List<Goroutine> top,
    List<Goroutine> focus, List<Long> missing) {

  /** A set of intervals. */
  public record Durations(long count, long totalNs, long maxNs, long p50Ns, long p99Ns) {

    /** In microseconds, as the status shows pauses. */
    public Pauses toPauses() {
      return new Pauses(count, totalNs / 1000, maxNs / 1000, p50Ns / 1000, p99Ns / 1000);
    }
  }

  /** How one goroutine spent the trace. */
  public record Goroutine(long id, long runningNs, long runnableNs, long syscallNs, long waitingNs,
      List<String> frames, List<Wait> waits) {

    /** As the report shows it: milliseconds, the program's own frames, its longest wait. */
    public TracedGoroutine toReport(int maxFrames) {
      String blockedOn = waits == null ? null : waits.stream().max(Comparator.comparingLong(Wait::ns))
          .map(w -> w.frame() == null || w.frame().isEmpty() ? w.reason() : w.reason() + " at " + w.frame())
          .orElse(null);
      return new TracedGoroutine(id, millis(runningNs), millis(runnableNs), millis(syscallNs), millis(waitingNs),
          blockedOn, OwnFrames.of(frames == null ? List.of() : frames, maxFrames));
    }

    private static double millis(long ns) {
      return Math.round(ns / 10_000.0) / 100.0;
    }
  }

  /** Time blocked for one reason at one place. */
  public record Wait(String reason, String frame, int count, long ns) {
  }
}
