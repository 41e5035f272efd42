package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Capture;
import dev.gopherscope.api.v1alpha1.CaptureKind;
import dev.gopherscope.api.v1alpha1.CaptureSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "goroutines", sortOptions = false,
    description = "Goroutine snapshots grouped by stack; with --count 2 or more, what grew and leak suspects.")
final class GoroutinesVerb extends CaptureVerb {

  @Option(names = "--source", paramLabel = "Auto|Pprof|Delve",
      description = "Auto (pprof when --pprof-port is given, else Delve), Pprof (never halts) or Delve.")
  CaptureSource source;

  @Option(names = "--count", paramLabel = "N", description = "Snapshots to take (1-60, default 1).")
  Integer count;

  @Option(names = "--every", paramLabel = "DURATION", description = "Time between snapshots (default 10s).")
  String every;

  @Override
  Capture capture() {
    Capture capture = capture(CaptureKind.Goroutines);
    capture.setSource(source);
    capture.setCount(count);
    capture.setEvery(every);
    return capture;
  }
}
