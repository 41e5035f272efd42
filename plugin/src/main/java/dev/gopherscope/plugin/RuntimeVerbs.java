package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Capture;
import dev.gopherscope.api.v1alpha1.CaptureKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The captures that watch the runtime over time rather than take one profile (see docs/captures.md). */
final class RuntimeVerbs {

  private RuntimeVerbs() {
  }

  @Command(name = "trace", sortOptions = false, description = "A Go execution trace (go tool trace opens it), "
      + "summarised: GC and stop-the-world pauses, scheduler latency, the filter's goroutines running vs waiting "
      + "(needs --pprof-port; never halts).")
  static final class ExecutionTrace extends CaptureVerb {
    @Option(names = "--duration", paramLabel = "DURATION", description = "How long to trace (default 5s, max 60s).")
    String duration;

    @Override
    Capture capture() {
      Capture capture = capture(CaptureKind.ExecutionTrace);
      capture.setDuration(duration);
      return capture;
    }
  }

  @Command(name = "health", sortOptions = false, description = "The runtime's health over an interval: GC pauses "
      + "and rate, heap in use vs goal, goroutines per P, scheduler latency (needs --pprof-port; never halts).")
  static final class RuntimeHealth extends CaptureVerb {
    @Option(names = "--duration", paramLabel = "DURATION", description = "The interval (default 30s).")
    String duration;

    @Override
    Capture capture() {
      Capture capture = capture(CaptureKind.RuntimeHealth);
      capture.setDuration(duration);
      return capture;
    }
  }

  @Command(name = "leaks", sortOptions = false, description = "Goroutine leaks: proven by the garbage collector "
      + "where the app serves Go's goroutineleak profile, else groups that grew in every snapshot (needs --pprof-port).")
  static final class GoroutineLeaks extends CaptureVerb {
    @Option(names = "--count", paramLabel = "N", description = "Snapshots for the growth heuristic (default 3).")
    Integer count;

    @Option(names = "--every", paramLabel = "DURATION", description = "Time between snapshots (default 10s).")
    String every;

    @Override
    Capture capture() {
      Capture capture = capture(CaptureKind.GoroutineLeaks);
      capture.setCount(count);
      capture.setEvery(every);
      return capture;
    }
  }
}
