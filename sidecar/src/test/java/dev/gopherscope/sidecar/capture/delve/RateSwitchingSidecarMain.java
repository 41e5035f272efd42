package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.process.TargetProcessFinder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A stand-in for a sidecar that has switched a profiling rate on in place, to be killed before it
 * puts it back: it attaches dlv to a pid, sets a runtime variable through
 * {@link RuntimeVariableChange} and says {@code RATE addr=<hex> previous=<n> guard=<bool>}, then
 * waits to be killed. Run by {@link ProfilingRateFaultIT} in a JVM of its own.
 */
public final class RateSwitchingSidecarMain {

  private RateSwitchingSidecarMain() {
  }

  /** Arguments: the dlv binary, the target's pid, the variable and the value to set it to. */
  public static void main(String[] args) throws Exception {
    DelveAttachment delve = DelveAttachment.attach(Path.of(args[0]),
        TargetProcessFinder.forThisProcess().describe(Long.parseLong(args[1])), DelveAttachment.Options.defaults());
    RuntimeVariableChange change = RuntimeVariableChange.set(delve, args[2], Long.parseLong(args[3]),
        PauseBudget.of(Duration.ofSeconds(1)));
    System.out.println("RATE addr=" + Long.toHexString(change.address()) + " previous=" + change.previous()
        + " guard=" + delve.guardRestoresValues());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
