package dev.gopherscope.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gopherscope.api.v1alpha1.SessionResults;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The runtime captures' lines of the summary, from a status as the operator writes it. */
class RuntimeFiguresTest {

  private static final String RESULTS = """
      {
        "executionTrace": {"targets": 1, "durationMs": 5000, "gcCycles": 3,
          "gcPauses": {"count": 6, "totalUs": 5200, "maxUs": 2900, "p50Us": 55, "p99Us": 2900},
          "stwPauses": {"count": 7, "totalUs": 5300, "maxUs": 2900, "p50Us": 60, "p99Us": 2900},
          "schedulerLatency": {"count": 812, "totalUs": 40000, "maxUs": 1400, "p50Us": 3, "p99Us": 1187},
          "goroutinesAlive": 2024, "matched": 2, "ambiguous": 1,
          "goroutines": [{"pod": "checkout-0", "id": 42, "runningMs": 4100.0, "runnableMs": 800.0, "blockedMs": 0.0,
            "frames": ["main.burnCPU", "main.handleCPU"]},
            {"pod": "checkout-0", "id": 43, "runningMs": 0.2, "runnableMs": 0.1, "blockedMs": 4990.0,
             "blockedOn": "chan receive at main.waitOnChannel", "frames": ["main.waitOnChannel"]}]},
        "runtimeHealth": [{"pod": "checkout-0", "intervalMs": 30000, "gcCycles": 18, "gcPerMinute": 36.0,
          "gcPauses": {"count": 18, "totalUs": 900, "maxUs": 120, "p50Us": 40, "p99Us": 110},
          "heapInuseBytes": 4202496, "heapGoalBytes": 8388608, "goroutines": 2012, "gomaxprocs": 2,
          "goroutinesPerProc": 1006.0}],
        "heapGrowth": [{"pod": "checkout-0", "frames": ["main.retainForever", "main.handleRetain"], "bytes": 2621440,
          "objects": 10}],
        "profilingRates": [{"pod": "checkout-0", "variable": "runtime.mutexprofilerate", "rate": 1, "previous": 0,
          "restored": true, "restoredBy": "Delve"}]
      }
      """;

  @Test
  void printsEachCapturesFiguresOnALineOrTwo() throws Exception {
    SessionResults results = new ObjectMapper().readValue(RESULTS, SessionResults.class);
    StringWriter text = new StringWriter();

    new RuntimeFigures(new PrintWriter(text, true)).print(results);

    assertThat(text.toString()).contains(
        "Execution trace: 5000 ms, 3 GC cycles, GC pauses p99 2.9 ms, max 2.9 ms, stop-the-world p99 2.9 ms, max 2.9 ms, "
            + "scheduler latency p99 1.2 ms, max 1.4 ms",
        "the filter's goroutines: 2 found, 1 left out (their stack is shared with goroutines outside the filter)",
        "goroutine 42  running 4100 ms, runnable 800 ms, blocked 0 ms  main.burnCPU <- main.handleCPU",
        "goroutine 43  running 0 ms, runnable 0 ms, blocked 4990 ms (chan receive at main.waitOnChannel)",
        "Runtime health [checkout-0] over 30 s: 36.0 GC/min, GC pauses p99 0.1 ms, max 0.1 ms, heap in use 4.0 MiB of "
            + "goal 8.0 MiB, 2012 goroutines (1006 per P), scheduler latency -",
        "+2621440  main.retainForever <- main.handleRetain  [checkout-0]",
        "Profiling switched on in place [checkout-0]: runtime.mutexprofilerate set to 1 (was 0), put back by Delve");
  }

  @Test
  void printsNothingForASessionWithoutThem() {
    StringWriter text = new StringWriter();

    new RuntimeFigures(new PrintWriter(text, true)).print(new SessionResults());

    assertThat(text.toString()).isEmpty();
  }
}
