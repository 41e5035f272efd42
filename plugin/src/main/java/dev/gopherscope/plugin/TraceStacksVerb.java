package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Capture;
import dev.gopherscope.api.v1alpha1.CaptureKind;
import dev.gopherscope.api.v1alpha1.CaptureSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "trace-stacks", sortOptions = false,
    description = "The stacks of every goroutine serving each trace (from pprof labels), blocked ones included.")
final class TraceStacksVerb extends CaptureVerb {

  @Option(names = "--source", paramLabel = "Auto|Pprof|Delve",
      description = "Auto (pprof when --pprof-port is given, else Delve), Pprof (never halts) or Delve.")
  CaptureSource source;

  @Override
  Capture capture() {
    Capture capture = capture(CaptureKind.TraceStacks);
    capture.setSource(source);
    return capture;
  }
}
