package dev.gopherscope.sidecar.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariant 1 when the sidecar itself dies: a sidecar JVM that holds the target halted is
 * SIGKILLed; dlv must die with it (pdeathsig) and the target must serve again within a second.
 */
class SidecarKillIT {

  private static final Pattern HALTED = Pattern.compile("HALTED dlv=(\\d+)");

  @Test
  void killingTheSidecarWhileTheTargetIsHaltedLetsTheTargetRun() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(1_000)) {
      String java = ProcessHandle.current().info().command().orElse("java");
      Process sidecar = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          HaltingSidecarMain.class.getName(), TestEnvironment.get().dlv().toString(), Long.toString(demo.pid()))
          .redirectErrorStream(true).start();
      try {
        long dlvPid = awaitHalted(sidecar);
        // TracerPid names the tracing thread; dlv traces from a thread of its own.
        assertThat(statusField(tracerOf(demo.pid()), "Tgid")).contains(Long.toString(dlvPid));

        // Sent while the target is halted: it can only be answered once the target runs again.
        CompletableFuture<String> health = demo.getTraced("/healthz", null);
        assertThatItWaits(health);

        long killedAt = System.nanoTime();
        sidecar.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
        String answer = health.get(10, TimeUnit.SECONDS);
        double servingAfterMs = (System.nanoTime() - killedAt) / 1e6;
        System.out.printf("sidecar SIGKILLed with the target halted: /healthz answered %.1f ms later%n",
            servingAfterMs);

        assertThat(answer).isEqualToIgnoringWhitespace("ok");
        assertThat(servingAfterMs).isLessThan(1_000);
        assertThat(sidecar.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(tracerOf(demo.pid())).isZero();
        assertThat(stateOf(dlvPid).map(state -> state.startsWith("Z")).orElse(true))
            .as("dlv (pid %d) is gone, or a zombie awaiting its reaper: %s", dlvPid, stateOf(dlvPid)).isTrue();
        assertThat(demo.get("/healthz")).isEqualToIgnoringWhitespace("ok");
      } finally {
        sidecar.destroyForcibly();
      }
    }
  }

  private static long awaitHalted(Process sidecar) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(sidecar.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Long> halted = CompletableFuture.supplyAsync(() -> {
      StringBuilder seen = new StringBuilder();
      try {
        String line;
        while ((line = out.readLine()) != null) {
          Matcher m = HALTED.matcher(line);
          if (m.find()) {
            return Long.parseLong(m.group(1));
          }
          seen.append(line).append('\n');
        }
      } catch (Exception e) {
        seen.append(e);
      }
      throw new IllegalStateException("the sidecar stand-in exited before halting the target:\n" + seen);
    });
    return halted.get(60, TimeUnit.SECONDS);
  }

  private static void assertThatItWaits(CompletableFuture<String> request) throws Exception {
    try {
      request.get(300, TimeUnit.MILLISECONDS);
      throw new AssertionError("the target answered while supposedly halted");
    } catch (TimeoutException expected) {
      // halted, as it should be
    }
  }

  private static long tracerOf(long pid) throws Exception {
    return Long.parseLong(statusField(pid, "TracerPid").orElseThrow());
  }

  private static Optional<String> stateOf(long pid) throws Exception {
    return statusField(pid, "State");
  }

  private static Optional<String> statusField(long pid, String key) throws Exception {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.exists(status)) {
      return Optional.empty();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(status);
    } catch (java.nio.file.NoSuchFileException gone) {
      return Optional.empty();
    }
    return lines.stream().filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).strip())
        .findFirst();
  }
}
