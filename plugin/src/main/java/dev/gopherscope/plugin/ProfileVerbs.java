package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Capture;
import dev.gopherscope.api.v1alpha1.CaptureKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The other pprof profiles; Block and Mutex can switch their profiling on in place. */
final class ProfileVerbs {

  private ProfileVerbs() {
  }

  @Command(name = "allocs", sortOptions = false, description = "An allocations profile (needs --pprof-port).")
  static final class Allocs extends CaptureVerb {
    @Override
    Capture capture() {
      return capture(CaptureKind.Allocs);
    }
  }

  @Command(name = "block", sortOptions = false, description = "A blocking profile (needs --pprof-port).")
  static final class Block extends CaptureVerb {
    @Option(names = "--rate", paramLabel = "NS", description = "Switch blocking profiling on in place at this rate "
        + "(as runtime.SetBlockProfileRate takes it) for the capture, and put the app's own back after (uses Delve).")
    Long rate;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Profile only what this window adds "
        + "(default with --rate: 10s).")
    String duration;

    @Override
    Capture capture() {
      Capture capture = capture(CaptureKind.Block);
      capture.setBlockProfileRate(rate);
      capture.setDuration(duration);
      return capture;
    }
  }

  @Command(name = "mutex", sortOptions = false, description = "A mutex contention profile (needs --pprof-port).")
  static final class Mutex extends CaptureVerb {
    @Option(names = "--fraction", paramLabel = "N", description = "Switch mutex profiling on in place (1/N of "
        + "contention events, as runtime.SetMutexProfileFraction takes it) for the capture, and put the app's own "
        + "back after (uses Delve).")
    Long fraction;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Profile only what this window adds "
        + "(default with --fraction: 10s).")
    String duration;

    @Override
    Capture capture() {
      Capture capture = capture(CaptureKind.Mutex);
      capture.setMutexProfileFraction(fraction);
      capture.setDuration(duration);
      return capture;
    }
  }
}
