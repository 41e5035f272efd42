package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Capture;
import dev.gopherscope.api.v1alpha1.CaptureKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "snapshot", sortOptions = false,
    description = "A Delve breakpoint that records stack, arguments (and locals) of the first hits, then is removed.")
final class SnapshotVerb extends CaptureVerb {

  @Option(names = "--location", required = true, paramLabel = "LOCATION",
      description = "Where to stop, as Delve reads it: main.handleCheckout or handler.go:42.")
  String location;

  @Option(names = "--condition", paramLabel = "EXPR", description = "Record only hits where this Delve expression holds.")
  String condition;

  @Option(names = "--max-hits", paramLabel = "N", description = "Hits to record (1-100, default 1).")
  Integer maxHits;

  @Option(names = "--locals", description = "Record local variables too.")
  Boolean loadLocals;

  @Option(names = "--no-args", negatable = false, description = "Do not record the function's arguments.")
  boolean noArgs;

  @Override
  Capture capture() {
    Capture capture = capture(CaptureKind.Snapshot);
    capture.setLocation(location);
    capture.setCondition(condition);
    capture.setMaxHits(maxHits);
    capture.setLoadLocals(loadLocals);
    capture.setLoadArgs(noArgs ? Boolean.FALSE : null);
    return capture;
  }
}
