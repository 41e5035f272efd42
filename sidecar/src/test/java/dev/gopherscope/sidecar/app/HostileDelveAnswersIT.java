package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.app.HostileDelveProxy.Fault;
import dev.gopherscope.sidecar.capture.delve.PauseBudget;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.ManagedProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 8: dlv answers badly while the target is halted. The sidecar runs as in the image (its own
 * JVM, 48 MiB heap) with a Delve goroutine capture, and its "dlv" is the real dlv (under
 * dlv-guard, attached to the real demo) behind {@link HostileDelveProxy}, which spoils the answer
 * to the first request after the halt: not JSON, a wrong id, cut off, endless, or none at all.
 * Each time the capture fails with a message saying what dlv did, within the pause budget plus
 * grace (the stall: the watchdog's kill) and a second of slack, without running out of memory,
 * and the target serves again within the pause budget plus a second, untraced and not stopped.
 */
class HostileDelveAnswersIT {

  private static final long PAUSE_BUDGET_MS = 1_000;
  private static final long GRACE_MS = PauseBudget.DEFAULT_GRACE.toMillis();
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private static GoDemoProcess demo;

  @TempDir
  Path dir;

  @BeforeAll
  static void startDemo() {
    demo = GoDemoProcess.start(500);
  }

  @AfterAll
  static void stopDemo() {
    demo.close();
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aSpoiledAnswerFailsTheCaptureCleanlyAndTheTargetServesAgain(Fault fault) throws Exception {
    int upstream = freePort();
    try (HostileDelveProxy proxy = new HostileDelveProxy(upstream, fault)) {
      Path session = dir.resolve("session.yaml");
      Files.writeString(session, """
          spec:
            captures:
              - {kind: Goroutines, source: Delve}
            pauseBudget: %dms
            timeout: 60s
          """.formatted(PAUSE_BUDGET_MS));
      Path out = dir.resolve("out");
      CompletableFuture<Long> servedAgain = CompletableFuture.supplyAsync(() -> servedAfterSpoiling(proxy));

      ManagedProcess sidecar = SidecarJvm.start("sidecar-hostile-" + fault, List.of("capture", "--pid",
          String.valueOf(demo.pid()), "-f", session.toString(), "--out", out.toString(), "--dlv",
          dlvBehind(proxy, upstream).toString()), Map.of());
      long failedAt = awaitLog(sidecar, "FAILED (");
      assertThat(sidecar.process().waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      String log = log(sidecar);

      long spoiledAt = proxy.spoiledAtNanos();
      assertThat(spoiledAt).as("the proxy spoiled an answer after the halt; log:%n%s", log).isPositive();
      double servedMs = (servedAgain.get(LIMIT.toSeconds(), TimeUnit.SECONDS) - spoiledAt) / 1e6;
      double failedMs = (failedAt - spoiledAt) / 1e6;
      assertThat(sidecar.process().exitValue()).as(log).isEqualTo(ExitCode.FAILED.code());
      assertThat(log).doesNotContain("OutOfMemoryError");
      CaptureOutcome capture = ContractJson.mapper().readValue(out.resolve("report.json").toFile(),
          SidecarReport.class).captures().get(0);
      assertThat(capture.ok()).isFalse();
      assertThat(capture.message()).as(log).contains(expectedMessage(fault));
      assertThat(failedMs).as("the capture failed promptly").isLessThan(PAUSE_BUDGET_MS + GRACE_MS + 1_000);
      assertThat(servedMs).as("the target served again").isLessThan(PAUSE_BUDGET_MS + 1_000);
      assertThat(TargetState.halted(demo.pid())).as("state %s", TargetState.of(demo.pid())).isFalse();
      awaitUntraced(demo.pid());
      System.out.printf("[fault] dlv answer %s after the halt: capture failed %.0f ms after the spoiled answer, target "
          + "served again after %.0f ms (budget %d ms), %,d hostile bytes sent, sidecar exit %d; message: %s%n",
          fault, failedMs, servedMs, PAUSE_BUDGET_MS, proxy.hostileBytes(), sidecar.process().exitValue(),
          capture.message());
    }
  }

  private static String expectedMessage(Fault fault) {
    return switch (fault) {
      case MALFORMED_JSON -> "dlv sent an answer that is not JSON";
      case WRONG_ID -> "dlv answered request id " + HostileDelveProxy.WRONG_ID + ", which no call is waiting for";
      case TRUNCATED_THEN_CLOSE -> "dlv closed the connection in the middle of an answer";
      case HUGE_ANSWER -> "dlv sent an answer over the 4 MiB limit";
      case STALL -> "the halt overran the " + PAUSE_BUDGET_MS + " ms pause budget, so the watchdog killed dlv";
    };
  }

  /** When (System.nanoTime) the demo answered a request sent as the proxy spoiled the answer. */
  private static long servedAfterSpoiling(HostileDelveProxy proxy) {
    try {
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (proxy.spoiledAtNanos() == 0) {
        if (System.nanoTime() > deadline) {
          return -1;
        }
        Thread.sleep(1);
      }
      demo.getTraced("/healthz", null).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
      return System.nanoTime();
    } catch (Exception e) {
      throw new AssertionError("the demo did not serve again: " + e, e);
    }
  }

  /**
   * A "dlv" that runs the real one on {@code upstream} and tells the sidecar the proxy's port
   * instead; dlv-guard sits beside it as in the image. It execs dlv, so killing it kills dlv.
   */
  private Path dlvBehind(HostileDelveProxy proxy, int upstream) throws IOException {
    Path bin = Files.createTempDirectory(dir, "dlv");
    Path real = TestEnvironment.get().dlv();
    Files.copy(real.resolveSibling("dlv-guard"), bin.resolve("dlv-guard"), StandardCopyOption.COPY_ATTRIBUTES);
    Path wrapper = bin.resolve("dlv");
    Files.writeString(wrapper, """
        #!/bin/bash
        args=()
        for arg in "$@"; do
          case "$arg" in
            --listen=*) args+=("--listen=127.0.0.1:%1$d") ;;
            *) args+=("$arg") ;;
          esac
        done
        exec %3$s "${args[@]}" > >(exec sed -u 's/listening at: 127.0.0.1:%1$d/listening at: 127.0.0.1:%2$d/') 2>&1
        """.formatted(upstream, proxy.port(), real));
    assertThat(wrapper.toFile().setExecutable(true)).isTrue();
    return wrapper;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** When (System.nanoTime) the sidecar's log first held {@code text}. */
  private static long awaitLog(ManagedProcess sidecar, String text) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!log(sidecar).contains(text)) {
      if (System.nanoTime() > deadline || !sidecar.isAlive() && !log(sidecar).contains(text)) {
        throw new AssertionError("the sidecar never logged '" + text + "':\n" + log(sidecar));
      }
      Thread.sleep(2);
    }
    return System.nanoTime();
  }

  /** The log so far; the file appears with the first line. */
  private static String log(ManagedProcess sidecar) throws IOException {
    return Files.exists(sidecar.logFile()) ? Files.readString(sidecar.logFile()) : "";
  }

  /** dlv is gone within a second of the session's end (the guard may still be reaping it). */
  private static void awaitUntraced(long pid) throws Exception {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (TargetState.tracer(pid) != 0) {
      assertThat(System.nanoTime()).as("something still traces the target").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
