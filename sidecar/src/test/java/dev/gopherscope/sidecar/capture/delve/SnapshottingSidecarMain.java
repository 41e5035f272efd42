package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.delve.DelveTypes.Breakpoint;
import dev.gopherscope.sidecar.delve.DelveTypes.BreakpointSpec;
import dev.gopherscope.sidecar.process.TargetProcessFinder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A stand-in for a sidecar taking a breakpoint snapshot, to be killed while the breakpoint is in
 * the target: it attaches dlv to a pid, starts a snapshot at a location and, once the breakpoint
 * is written (and its address told to dlv's guard), says {@code BREAKPOINT addr=<hex>}. It prints
 * {@code RESULT <message>} if the snapshot ends, say because dlv was killed under it. Run by
 * {@link BreakpointKillFaultIT} in a JVM of its own.
 */
public final class SnapshottingSidecarMain {

  private SnapshottingSidecarMain() {
  }

  /**
   * Arguments: the dlv binary, the target's pid, the snapshot's location, and optionally
   * {@code unnamed}: then it sets the breakpoint itself as a snapshot does but never names its
   * address to dlv's guard, like a sidecar that dies between Delve's answer and telling the guard,
   * lets the target run, and says {@code UNNAMED addr=<hex>}.
   */
  public static void main(String[] args) throws Exception {
    DelveAttachment delve = DelveAttachment.attach(Path.of(args[0]),
        TargetProcessFinder.forThisProcess().describe(Long.parseLong(args[1])), DelveAttachment.Options.defaults());
    if (args.length > 3 && args[3].equals("unnamed")) {
      delve.client().halt();
      delve.breakpointsSet(true);
      Breakpoint breakpoint = delve.client().createBreakpoint(args[2], new BreakpointSpec("unnamed", "", 0, false,
          null, null));
      delve.client().resume();
      System.out.println("UNNAMED addr=" + Long.toHexString(breakpoint.addrs().get(0)));
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
    Thread announcer = new Thread(() -> announce(delve), "announcer");
    announcer.setDaemon(true);
    announcer.start();
    // Room for many hits and no halt the watchdog would end: only a kill ends this snapshot.
    SnapshotRequest request = SnapshotRequest.at(args[2]).withMaxHits(SnapshotRequest.MAX_HITS)
        .withTimeout(Duration.ofMinutes(10));
    SnapshotResult result = new SnapshotCapture().capture(delve, request, PauseBudget.of(Duration.ofMinutes(10)));
    System.out.println("RESULT " + result.message());
    System.out.flush();
  }

  private static void announce(DelveAttachment delve) {
    while (delve.breakpointAddresses().isEmpty()) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
    }
    System.out.println("BREAKPOINT addr=" + Long.toHexString(delve.breakpointAddresses().iterator().next())
        + " restores=" + delve.guardRestoresBreakpoints());
    System.out.flush();
  }
}
