package dev.gopherscope.sidecar.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, faults: SIGKILL the sidecar or dlv at random points of many debugging rounds on one
 * target (before dlv starts, during the attach, while the target is halted) and check every time
 * that the target serves again within a second and nobody still traces it.
 */
class SidecarKillFaultIT {

  private static final int ROUNDS = Integer.getInteger("gopherscope.faultRounds", 50);
  private static final Pattern HALTED = Pattern.compile("HALTED dlv=(\\d+)");

  @Test
  void theTargetSurvivesKillsAtRandomPoints() throws Exception {
    Random random = new Random(Long.getLong("gopherscope.faultSeed", 42));
    List<String> rounds = new ArrayList<>();
    double slowest = 0;
    try (GoDemoProcess demo = GoDemoProcess.start(2_000)) {
      String java = ProcessHandle.current().info().command().orElse("java");
      for (int round = 1; round <= ROUNDS; round++) {
        Process sidecar = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp",
            System.getProperty("java.class.path"), HaltingSidecarMain.class.getName(),
            TestEnvironment.get().dlv().toString(), Long.toString(demo.pid())).redirectErrorStream(true).start();
        CompletableFuture<Long> halted = haltedDlvPid(sidecar);
        String point;
        long killedAt;
        int choice = random.nextInt(3);
        if (choice == 0) {
          // Anywhere from JVM start-up through the attach: dlv may or may not exist yet.
          Thread.sleep(random.nextInt(1_200));
          point = "sidecar, " + (halted.isDone() ? "target halted" : "before or during attach");
          killedAt = System.nanoTime();
          sidecar.destroyForcibly();
        } else {
          long dlvPid = halted.get(60, TimeUnit.SECONDS);
          Thread.sleep(random.nextInt(200));
          killedAt = System.nanoTime();
          if (choice == 1) {
            point = "sidecar, target halted";
            sidecar.destroyForcibly();
          } else {
            point = "dlv, target halted";
            ProcessHandle.of(dlvPid).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
        double servingAfterMs = awaitServing(demo, killedAt);
        slowest = Math.max(slowest, servingAfterMs);
        rounds.add(String.format("%d %s: serving %.0f ms after the kill", round, point, servingAfterMs));
        assertThat(servingAfterMs).as("round %d (%s)", round, point).isLessThan(1_000);
        sidecar.destroyForcibly();
        assertThat(sidecar.waitFor(10, TimeUnit.SECONDS)).isTrue();
        awaitNoTracer(demo.pid());
      }
      assertThat(demo.isAlive()).isTrue();
      assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
    }
    rounds.forEach(System.out::println);
    System.out.printf("%d kills at random points: the target always served again, slowest %.0f ms after a kill%n",
        ROUNDS, slowest);
  }

  private static CompletableFuture<Long> haltedDlvPid(Process sidecar) {
    BufferedReader out = new BufferedReader(new InputStreamReader(sidecar.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = out.readLine()) != null) {
          Matcher m = HALTED.matcher(line);
          if (m.find()) {
            return Long.parseLong(m.group(1));
          }
        }
      } catch (Exception e) {
        // killed while we read: that round did not reach the halt
      }
      return -1L;
    });
  }

  /** Milliseconds from the kill until the target answers /healthz. */
  private static double awaitServing(GoDemoProcess demo, long killedAt) throws Exception {
    while (true) {
      try {
        demo.getTraced("/healthz", null).get(2, TimeUnit.SECONDS);
        return (System.nanoTime() - killedAt) / 1e6;
      } catch (java.util.concurrent.TimeoutException e) {
        if ((System.nanoTime() - killedAt) / 1e9 > 10) {
          throw new AssertionError("the target did not serve within 10 s of the kill");
        }
      }
    }
  }

  private static void awaitNoTracer(long pid) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      String tracer = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(l -> l.startsWith("TracerPid:")).findFirst().orElse("TracerPid:\t0");
      if (tracer.endsWith("\t0") || tracer.trim().endsWith(" 0") || tracer.replaceAll("\\D", "").equals("0")) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("something still traces the target 5 s after the round ended");
  }
}
