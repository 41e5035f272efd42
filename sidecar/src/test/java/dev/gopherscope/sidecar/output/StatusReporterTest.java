package dev.gopherscope.sidecar.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gopherscope.contract.SidecarPlan.SessionRef;
import dev.gopherscope.contract.TargetReport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries against a fake API server (the real one is in SidecarRunIT and OperatorFaultIT). */
class StatusReporterTest {

  private final AtomicInteger calls = new AtomicInteger();
  private HttpServer server;

  private StatusReporter reporterAnswering(int failuresBeforeOk, int failureStatus) throws Exception {
    return reporterAnswering(failuresBeforeOk, failureStatus, Duration.ZERO);
  }

  private StatusReporter reporterAnswering(int failuresBeforeOk, int failureStatus, Duration freshTokenGrace)
      throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      int status = calls.incrementAndGet() <= failuresBeforeOk ? failureStatus : 200;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    return new StatusReporter(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, "t",
        new SessionRef("ns", "s", "uid"), "pod-0", 5, freshTokenGrace);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static TargetReport done() {
    return new TargetReport("Done", 1, "go1.26.8", 0L, null, null, 1, 1, 1, 0, null, "done", Instant.now().toString());
  }

  @Test
  void theFinalReportOutlastsAnApiServerThatAnswers503ForAWhile() throws Exception {
    StatusReporter reporter = reporterAnswering(8, 503);
    reporter.reportFinal(done(), Instant.now().plusSeconds(60));
    assertThat(calls).hasValue(9);
  }

  @Test
  void aProgressReportGivesUpAfterFiveAttempts() throws Exception {
    StatusReporter reporter = reporterAnswering(100, 503);
    assertThatThrownBy(() -> reporter.report(done())).isInstanceOf(StatusReporter.ReportException.class)
        .hasMessageContaining("503");
    assertThat(calls).hasValue(5);
  }

  @Test
  void aFreshTokenTheApiServerDoesNotKnowYetIsTriedAgain() throws Exception {
    StatusReporter reporter = reporterAnswering(3, 401, Duration.ofSeconds(30));
    reporter.report(done());
    assertThat(calls).hasValue(4);
  }

  @Test
  void aRefusalIsFinalAtOnceEvenForTheLastReport() throws Exception {
    StatusReporter reporter = reporterAnswering(100, 401);
    assertThatThrownBy(() -> reporter.reportFinal(done(), Instant.now().plusSeconds(60)))
        .isInstanceOf(StatusReporter.ReportException.class).hasMessageContaining("401");
    assertThat(calls).hasValue(1);
  }

  @Test
  void theFinalReportWaitsOutA403FromAnApiServerWhoseRbacIsStillSyncing() throws Exception {
    StatusReporter reporter = reporterAnswering(4, 403);
    reporter.reportFinal(done(), Instant.now().plusSeconds(60));
    assertThat(calls).hasValue(5);
  }

  @Test
  void aProgressReportTakesA403AsFinal() throws Exception {
    StatusReporter reporter = reporterAnswering(100, 403);
    assertThatThrownBy(() -> reporter.report(done())).hasMessageContaining("403");
    assertThat(calls).hasValue(1);
  }

  @Test
  void theFinalReportStopsAtItsDeadline() throws Exception {
    StatusReporter reporter = reporterAnswering(Integer.MAX_VALUE, 503);
    long started = System.nanoTime();
    assertThatThrownBy(() -> reporter.reportFinal(done(), Instant.now().plusSeconds(2)))
        .isInstanceOf(StatusReporter.ReportException.class);
    assertThat((System.nanoTime() - started) / 1_000_000).isBetween(1_000L, 4_000L);
  }
}
