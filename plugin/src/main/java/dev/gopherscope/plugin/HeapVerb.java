package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Capture;
import dev.gopherscope.api.v1alpha1.CaptureKind;
import picocli.CommandLine.Command;

@Command(name = "heap", sortOptions = false,
    description = "A heap profile from the app's pprof endpoint (needs --pprof-port), with a flame graph.")
final class HeapVerb extends CaptureVerb {

  @Override
  Capture capture() {
    return capture(CaptureKind.Heap);
  }
}
