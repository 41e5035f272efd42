package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Capture;
import dev.gopherscope.api.v1alpha1.CaptureKind;
import picocli.CommandLine.Command;

/** The other pprof profiles, which take no option of their own. */
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
    @Override
    Capture capture() {
      return capture(CaptureKind.Block);
    }
  }

  @Command(name = "mutex", sortOptions = false, description = "A mutex contention profile (needs --pprof-port).")
  static final class Mutex extends CaptureVerb {
    @Override
    Capture capture() {
      return capture(CaptureKind.Mutex);
    }
  }
}
