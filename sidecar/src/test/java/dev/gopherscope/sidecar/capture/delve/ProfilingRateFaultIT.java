package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.PrivateGuard;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariant 1 for a profiling rate switched on in place: a stand-in sidecar sets
 * {@code runtime.mutexprofilerate} from the demo's own 1 to 7 through Delve and is then SIGKILLed,
 * or its dlv is; dlv-guard must write the 1 back (read from the target's memory), and the target
 * runs on untraced.
 */
class ProfilingRateFaultIT {

  private static final String VARIABLE = "runtime.mutexprofilerate";
  private static final Pattern RATE = Pattern.compile("RATE addr=([0-9a-f]+) previous=(\\d+) guard=(\\w+)");

  @Test
  void theGuardPutsTheRateBackWhenTheSidecarDies() throws Exception {
    killAndCheck(false);
  }

  @Test
  void theGuardPutsTheRateBackWhenDlvDies() throws Exception {
    killAndCheck(true);
  }

  private static void killAndCheck(boolean killDlv) throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(20)) {
      StandInJvm sidecar = StandInJvm.start(RateSwitchingSidecarMain.class, PrivateGuard.dlv().toString(),
          Long.toString(demo.pid()), VARIABLE, "7");
      try {
        Matcher set = sidecar.await(RATE);
        long address = Long.parseUnsignedLong(set.group(1), 16);
        assertThat(set.group(3)).as("this tree's guard restores values").isEqualTo("true");
        assertThat(Long.parseLong(set.group(2))).as("the demo's own fraction").isEqualTo(1);
        TargetMemory memory = new TargetMemory(demo.pid());
        assertThat(memory.readWord(address)).as("switched").hasValue(7);

        long killedAt = System.nanoTime();
        if (killDlv) {
          ProcessHandle.of(DemoTargets.tracerProcessOf(demo.pid())).ifPresent(ProcessHandle::destroyForcibly);
        } else {
          sidecar.process().destroyForcibly();
        }
        double restoredMs = awaitValue(memory, address, 1, killedAt);
        System.out.printf(Locale.ROOT, "[fault] %s SIGKILLed with %s at 7: back to 1 %.1f ms after the kill%n",
            killDlv ? "dlv" : "the sidecar JVM", VARIABLE, restoredMs);
        assertThat(restoredMs).as("put back within 5 s").isNotNegative();
        DemoTargets.awaitNoTracer(demo.pid());
        assertThat(demo.get("/healthz")).contains("ok");
      } finally {
        sidecar.process().destroyForcibly();
        sidecar.process().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Ms from the kill until the word at {@code address} is {@code expected}; -1 if not within 5 s. */
  private static double awaitValue(TargetMemory memory, long address, long expected, long since)
      throws InterruptedException {
    long deadline = since + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      OptionalLong now = memory.readWord(address);
      if (now.isPresent() && now.getAsLong() == expected) {
        return (System.nanoTime() - since) / 1e6;
      }
      Thread.sleep(1);
    }
    return -1;
  }
}
