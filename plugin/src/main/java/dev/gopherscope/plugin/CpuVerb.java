package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Capture;
import dev.gopherscope.api.v1alpha1.CaptureKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cpu", sortOptions = false,
    description = "A CPU profile from the app's pprof endpoint (needs --pprof-port), label-filtered, with a flame graph.")
final class CpuVerb extends CaptureVerb {

  @Option(names = "--duration", paramLabel = "DURATION", description = "How long to sample (1s-5m, default 10s).")
  String duration;

  @Override
  Capture capture() {
    Capture capture = capture(CaptureKind.CPUProfile);
    capture.setDuration(duration);
    return capture;
  }
}
