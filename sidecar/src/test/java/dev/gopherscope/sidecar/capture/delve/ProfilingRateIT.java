package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.app.SidecarMain;
import dev.gopherscope.sidecar.delve.DelveTypes.LoadConfig;
import dev.gopherscope.sidecar.pprof.GoPprof;
import dev.gopherscope.sidecar.process.TargetProcessFinder;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.PrivateGuard;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Block and mutex profiling switched on in place, end to end in local mode against the real demo
 * started with its own profiling off, and real dlv (with this tree's guard): without the switch
 * the mutex and block profiles of lock traffic are empty; with it the lock holder shows in the
 * mutex profile and the lock waiter in the block profile, and afterwards both runtime variables
 * hold what they held before, read back through a fresh dlv.
 */
class ProfilingRateIT {

  @TempDir
  Path dir;

  @Test
  void theLockHolderShowsInTheMutexProfileOnceSwitchedOnAndTheRatesArePutBack() throws Exception {
    GoPprof.assumeAvailable();
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try (GoDemoProcess demo = GoDemoProcess.start(20, "-contention-profiling=false")) {
      // One request at a time, each a 50 ms hold by holdLock that handleLock waits out: the mutex
      // profile charges that wait to the holder's Unlock.
      load.scheduleWithFixedDelay(() -> demo.get("/work/lock?ms=50"), 0, 10, TimeUnit.MILLISECONDS);
      Path before = dir.resolve("mutex-before.pb.gz");
      Files.write(before, demo.pprof("/debug/pprof/mutex?seconds=1"));
      assertThat(GoPprof.run("-traces", before.toString())).as("the app's own mutex profiling is off")
          .doesNotContain("main.holdLock");
      Map<String, Long> rates = rates(demo);
      assertThat(rates).containsEntry("runtime.mutexprofilerate", 0L).containsEntry("runtime.blockprofilerate", 0L);

      Path session = dir.resolve("rates.yaml");
      Files.writeString(session, """
          spec:
            pprof: {port: %d}
            captures:
              - {kind: Mutex, mutexProfileFraction: 1, duration: 2s}
              - {kind: Block, blockProfileRate: 1000, duration: 2s}
            pauseBudget: 200ms
            timeout: 60s
          """.formatted(demo.pprofPort()));
      Path out = dir.resolve("out");
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      int exit = SidecarMain.run(new String[] {"capture", "--pid", String.valueOf(demo.pid()), "-f", session.toString(),
          "--out", out.toString(), "--dlv", PrivateGuard.dlv().toString()}, Map.of(),
          new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
      String log = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
      System.out.println(log);
      assertThat(exit).as(log).isZero();

      assertThat(GoPprof.run("-traces", out.resolve("mutex.pb.gz").toString())).contains("main.holdLock");
      assertThat(GoPprof.run("-traces", out.resolve("block.pb.gz").toString())).contains("main.waitOnLock");
      SidecarReport report = ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class);
      CaptureOutcome mutex = report.captures().get(0);
      CaptureOutcome block = report.captures().get(1);
      assertThat(mutex.message()).contains("mutex profile fraction 1/1 switched on in place",
          "runtime.mutexprofilerate was 0, set to 1", "put back to 0 by Delve");
      assertThat(block.message()).contains("block profile rate 1000 ns switched on in place",
          "runtime.blockprofilerate was 0", "put back to 0 by Delve");
      assertThat(mutex.rateSwitch()).isEqualTo(new SidecarReport.RateSwitch("runtime.mutexprofilerate", 0, 1, true,
          "Delve"));
      assertThat(block.rateSwitch().set()).as("1000 ns in CPU ticks").isGreaterThan(1000);
      assertThat(mutex.pausedMs()).isPositive().isLessThanOrEqualTo(200);
      assertThat(mutex.budgetExceeded()).isFalse();

      assertThat(rates(demo)).as("both rates as they were").isEqualTo(rates);
      assertThat(demo.get("/healthz")).contains("ok");
    } finally {
      load.shutdownNow();
    }
  }

  /** Both profiling variables as a fresh dlv reads them (it halts the demo briefly). */
  static Map<String, Long> rates(GoDemoProcess demo) throws Exception {
    try (DelveAttachment delve = DelveAttachment.attach(PrivateGuard.dlv(),
        TargetProcessFinder.forThisProcess().describe(demo.pid()), DelveAttachment.Options.defaults())) {
      delve.client().halt();
      try {
        LoadConfig scalar = new LoadConfig(false, 0, 0, 0, 0);
        return Map.of(
            "runtime.mutexprofilerate",
            Long.parseUnsignedLong(delve.client().eval("runtime.mutexprofilerate", scalar).value()),
            "runtime.blockprofilerate",
            Long.parseUnsignedLong(delve.client().eval("runtime.blockprofilerate", scalar).value()));
      } finally {
        delve.resumeOrKill();
      }
    }
  }
}
