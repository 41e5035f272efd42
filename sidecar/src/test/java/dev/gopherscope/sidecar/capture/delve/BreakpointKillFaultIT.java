package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.process.TargetProcessFinder;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.PrivateGuard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariant 1 for breakpoints: a snapshot's breakpoint is a trap instruction written into
 * the target's code, and a dlv that dies with it set (SIGKILLed, OOM-killed, or killed with the
 * sidecar JVM) must not leave it there, or the target dies of SIGTRAP at the next call. Round after
 * round on one demo, a stand-in sidecar sets a snapshot breakpoint on {@code main.burnCPU}, which
 * every {@code /work/cpu} request calls; after a random wait, dlv or the whole sidecar JVM is
 * SIGKILLed; then requests through {@code burnCPU} must be served and the target must live on.
 */
class BreakpointKillFaultIT {

  private static final int ROUNDS = Integer.getInteger("gopherscope.breakpointFaultRounds", 16);
  private static final String LOCATION = "main.burnCPU";
  private static final String THROUGH_IT = "/work/cpu?ms=1";
  private static final int REQUESTS = 20;
  private static final Pattern SET = Pattern.compile("BREAKPOINT addr=([0-9a-f]+) restores=(\\w+)");

  /** No request is in flight at the kill: nothing can be at the breakpoint, so every round must survive. */
  @Test
  void theTargetOutlivesDlvOrTheSidecarDyingWithABreakpointSet() throws Exception {
    List<String> deaths = runRounds("quiet", false);
    assertThat(deaths).as("rounds in which the target died").isEmpty();
  }

  /**
   * Requests flow at the kill, so goroutines are often stopped at the breakpoint. When the sidecar
   * dies its guard writes the code back and has dlv detach before killing it; every such round must
   * survive. When dlv itself is SIGKILLed, a goroutine that reaches the breakpoint while dlv dies,
   * before the guard has put the byte back, is lost with the target: those rounds are counted and
   * printed, not asserted.
   */
  @Test
  void goroutinesAtTheBreakpointOutliveTheSidecarDying() throws Exception {
    List<String> deaths = runRounds("under traffic", true);
    assertThat(deaths).as("rounds in which the target died after a kill of the sidecar JVM")
        .noneMatch(death -> death.contains("sidecar JVM SIGKILLed"));
  }

  /**
   * The watchdog's way out of an overrunning halt, {@link DelveAttachment#kill()}, while requests
   * hit the breakpoint: the guard, told to end dlv, has it detach, so the target lives on and the
   * snapshot reports its breakpoint gone.
   */
  @Test
  void killingDlvTheWayTheWatchdogDoesLeavesNoTrap() throws Exception {
    Random random = new Random(Long.getLong("gopherscope.faultSeed", 7));
    int rounds = Math.max(2, ROUNDS / 4);
    try (GoDemoProcess demo = GoDemoProcess.start(100)) {
      for (int round = 1; round <= rounds; round++) {
        DelveAttachment delve = DelveAttachment.attach(PrivateGuard.dlv(),
            TargetProcessFinder.forThisProcess().describe(demo.pid()), DelveAttachment.Options.defaults());
        CompletableFuture<SnapshotResult> snapshot = CompletableFuture.supplyAsync(() -> new SnapshotCapture().capture(
            delve, SnapshotRequest.at(LOCATION).withMaxHits(SnapshotRequest.MAX_HITS).withTimeout(Duration.ofMinutes(1)),
            PauseBudget.of(Duration.ofMinutes(1))));
        while (delve.breakpointAddresses().isEmpty()) {
          Thread.sleep(1);
        }
        long addr = delve.breakpointAddresses().iterator().next();
        SnapshotResult result;
        long killedAt;
        try (Traffic traffic = new Traffic(demo, THROUGH_IT)) {
          Thread.sleep(50 + random.nextInt(250));
          killedAt = System.nanoTime();
          delve.kill();
          result = snapshot.get(30, TimeUnit.SECONDS);
        }
        double restoredMs = awaitNoTrap(demo.pid(), addr, killedAt);
        Served served = serveThroughTheBreakpoint(demo, killedAt);
        System.out.printf(Locale.ROOT, "[fault] watchdog-style kill %d: dlv and its guard gone and no trap %.1f ms after "
            + "the kill, %d/%d requests served, first %.1f ms after; snapshot said: %s%n", round, restoredMs,
            served.count, REQUESTS, served.firstMs, result.message());
        assertThat(isAlive(demo)).as("the target lives, round %d", round).isTrue();
        assertThat(served.count).isEqualTo(REQUESTS);
        assertThat(result.breakpointRemoved()).isTrue();
        delve.close();
        DemoTargets.awaitNoTracer(demo.pid());
      }
    }
  }

  /**
   * A breakpoint Delve has set but the sidecar has not named yet (it died between Delve's answer and
   * telling the guard): the guard, told that one was being set, has dlv detach, which removes it,
   * so the target serves through it after the sidecar JVM is SIGKILLed.
   */
  @Test
  void aBreakpointNotYetNamedIsRemovedWhenTheSidecarDies() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(100)) {
      for (int round = 1; round <= Math.max(2, ROUNDS / 4); round++) {
        StandInJvm sidecar = StandIn.start(PrivateGuard.dlv(), demo.pid(), "unnamed");
        try {
          long addr = Long.parseUnsignedLong(sidecar.await(Pattern.compile("UNNAMED addr=([0-9a-f]+)")).group(1), 16);
          assertThat(new TargetMemory(demo.pid()).readByte(addr)).as("the trap is in the code").hasValue(0xCC);
          long killedAt = System.nanoTime();
          sidecar.process().destroyForcibly();
          double restoredMs = awaitNoTrap(demo.pid(), addr, killedAt);
          Served served = serveThroughTheBreakpoint(demo, killedAt);
          System.out.printf(Locale.ROOT, "[fault] unnamed breakpoint %d: sidecar JVM SIGKILLed, trap gone %.1f ms after, "
              + "%d/%d requests through %s served, first %.1f ms after%n", round, restoredMs, served.count, REQUESTS,
              LOCATION, served.firstMs);
          assertThat(isAlive(demo)).as("the target lives, round %d (%s)", round,
              isAlive(demo) ? "" : causeOfDeath(demo)).isTrue();
          assertThat(served.count).isEqualTo(REQUESTS);
          DemoTargets.awaitNoTracer(demo.pid());
        } finally {
          sidecar.process().destroyForcibly();
          sidecar.process().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** Runs the rounds, alternating dlv and the sidecar JVM as the victim, and returns those the target did not survive. */
  private static List<String> runRounds(String kind, boolean trafficAtKill) throws Exception {
    Random random = new Random(Long.getLong("gopherscope.faultSeed", 7));
    Path dlv = PrivateGuard.dlv();
    List<String> deaths = new ArrayList<>();
    int trapsAtKill = 0;
    double slowestRestore = 0;
    double slowestServing = 0;
    GoDemoProcess demo = GoDemoProcess.start(100);
    try {
      for (int round = 1; round <= ROUNDS; round++) {
        boolean killDlv = round % 2 == 1;
        String victim = killDlv ? "dlv" : "sidecar JVM";
        StandInJvm sidecar = StandIn.start(dlv, demo.pid());
        try {
          Matcher set = sidecar.await(SET);
          long addr = Long.parseUnsignedLong(set.group(1), 16);
          Traffic traffic = trafficAtKill ? new Traffic(demo, THROUGH_IT) : null;
          int delayMs = random.nextInt(300);
          Thread.sleep(delayMs);
          long dlvPid = DemoTargets.tracerProcessOf(demo.pid());
          boolean trapAtKill = new TargetMemory(demo.pid()).readByte(addr).orElse(0) == 0xCC;
          trapsAtKill += trapAtKill ? 1 : 0;
          boolean haltedAtKill = haltedByTracer(demo.pid());

          long killedAt = System.nanoTime();
          if (killDlv) {
            ProcessHandle.of(dlvPid).ifPresent(ProcessHandle::destroyForcibly);
          } else {
            sidecar.process().destroyForcibly();
          }
          double restoredMs = awaitNoTrap(demo.pid(), addr, killedAt);
          if (traffic != null) {
            traffic.close();
          }
          Served served = serveThroughTheBreakpoint(demo, killedAt);
          boolean alive = isAlive(demo);
          String result = killDlv ? sidecar.await(Pattern.compile("RESULT (.*)")).group(1) : "";
          String line = String.format(Locale.ROOT, "[fault] %s round %d: %s SIGKILLed %d ms after the breakpoint at "
                  + "%#x was set (guard restores: %s; trap in the code at the kill: %s%s%s): trap %s, %d/%d requests "
                  + "through %s served, first %.1f ms after the kill, target %s%s", kind, round, victim, delayMs, addr,
              set.group(2), trapAtKill ? "yes" : "no, the snapshot had ended",
              traffic == null ? "" : "; " + traffic.completed() + " requests during the snapshot",
              haltedAtKill ? "; target halted by dlv at the kill" : "",
              restoredMs < 0 ? "still in the code" : String.format(Locale.ROOT, "gone %.1f ms after the kill", restoredMs),
              served.count, REQUESTS, LOCATION, served.firstMs, alive ? "alive" : "DEAD",
              result.isEmpty() ? "" : "; snapshot said: " + result);
          System.out.println(line);
          if (!alive || served.count < REQUESTS) {
            deaths.add(line + " (" + causeOfDeath(demo) + ")");
            demo.close();
            demo = GoDemoProcess.start(100);
            continue;
          }
          slowestRestore = Math.max(slowestRestore, restoredMs);
          slowestServing = Math.max(slowestServing, served.firstMs);
          DemoTargets.awaitNoTracer(demo.pid());
          if (killDlv && !trafficAtKill) {
            assertThat(result).contains("its guard wrote the original code back");
          }
        } finally {
          sidecar.process().destroyForcibly();
          sidecar.process().waitFor(10, TimeUnit.SECONDS);
        }
      }
      long dlvDeaths = deaths.stream().filter(d -> d.contains(": dlv SIGKILLed")).count();
      System.out.printf(Locale.ROOT, "[fault] %s: %d kills (%d of dlv, %d of the sidecar JVM), %d with the trap on %s "
              + "in the code: the target survived %d (dlv kills %d, sidecar kills %d); trap gone at most %.1f ms and "
              + "the target serving at most %.1f ms after a kill it survived; heartbeat max gap %.1f ms%n", kind, ROUNDS,
          (ROUNDS + 1) / 2, ROUNDS / 2, trapsAtKill, LOCATION, ROUNDS - deaths.size(), (ROUNDS + 1) / 2 - dlvDeaths,
          ROUNDS / 2 - (deaths.size() - dlvDeaths), slowestRestore, slowestServing, Heartbeat.of(demo).maxGapMs());
      deaths.forEach(death -> System.out.println("[fault] died: " + death));
      return deaths;
    } finally {
      demo.close();
    }
  }

  /** Milliseconds from the kill until the byte at {@code addr} is no longer a trap; -1 if still one after 5 s. */
  private static double awaitNoTrap(long pid, long addr, long killedAt) throws InterruptedException {
    TargetMemory memory = new TargetMemory(pid);
    while (System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(5)) {
      if (memory.readByte(addr).orElse(0xCC) != 0xCC) {
        return (System.nanoTime() - killedAt) / 1e6;
      }
      Thread.sleep(1);
    }
    return -1;
  }

  private record Served(int count, double firstMs) {
  }

  /** Sends requests that call the breakpoint's function, one after another, until one fails. */
  private static Served serveThroughTheBreakpoint(GoDemoProcess demo, long killedAt) {
    double firstMs = -1;
    for (int i = 0; i < REQUESTS; i++) {
      try {
        demo.getTraced(THROUGH_IT, null).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        return new Served(i, firstMs);
      }
      if (firstMs < 0) {
        firstMs = (System.nanoTime() - killedAt) / 1e6;
      }
    }
    return new Served(REQUESTS, firstMs);
  }

  /** Whether every thread of {@code pid} is in a tracing stop: dlv has it halted, at a hit for one. */
  private static boolean haltedByTracer(long pid) throws IOException {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks.allMatch(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          return stat.substring(stat.lastIndexOf(')') + 2).startsWith("t");
        } catch (IOException e) {
          return true; // the thread has exited
        }
      });
    }
  }

  /** Alive by its /proc entry, not a zombie, and answering /healthz. */
  private static boolean isAlive(GoDemoProcess demo) {
    try {
      Optional<String> state = Files.readAllLines(Path.of("/proc", Long.toString(demo.pid()), "status")).stream()
          .filter(l -> l.startsWith("State:")).findFirst();
      return demo.isAlive() && state.isPresent() && !state.get().contains("Z")
          && demo.getTraced("/healthz", null).get(10, TimeUnit.SECONDS).strip().equals("ok");
    } catch (Exception e) {
      return false;
    }
  }

  private static String causeOfDeath(GoDemoProcess demo) throws IOException {
    return Files.readAllLines(demo.logFile()).stream().filter(l -> l.contains("SIGTRAP") || l.startsWith("fatal"))
        .findFirst().orElse("no SIGTRAP in its log " + demo.logFile());
  }

  /** The stand-in sidecar: a breakpoint snapshot at {@link #LOCATION} on {@code pid}, in a JVM of its own. */
  private static final class StandIn {

    static StandInJvm start(Path dlv, long pid, String... mode) throws IOException {
      List<String> args = new ArrayList<>(List.of(dlv.toString(), Long.toString(pid), LOCATION));
      args.addAll(List.of(mode));
      return StandInJvm.start(SnapshottingSidecarMain.class, args.toArray(String[]::new));
    }
  }
}
