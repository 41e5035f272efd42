package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.sidecar.pprof.GoPprof;
import dev.gopherscope.testsupport.GoDemoProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile client of the target writes into our input (issue 8): the demo, like any service that
 * follows W3C Trace Context, keeps a version-01 traceparent's extra fields, so a request can put
 * 100 KB of markup, quotes, tabs and a credential into the {@code traceparent} pprof label of the
 * goroutine serving it. Captured by the real sidecar from the real demo, that label must come out
 * redacted per the session's patterns, never as markup in the flame graphs, bounded in the
 * documents the status is built from, and the trace must still be found.
 */
class HostileLabelsIT {

  private static final String TRACE_ID = "4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e";
  private static final String SECRET = "hunter2-do-not-leak";
  private static final String MARKUP = "<script>alert('owned')</script><img src=x onerror=alert(1)>";
  private static final String HOSTILE = "01-" + TRACE_ID + "-4e4e4e4e4e4e4e4e-01-" + MARKUP + "\t\"quoted\" &amp; "
      + "password=" + SECRET + " " + "A".repeat(100_000);

  private static GoDemoProcess demo;

  @TempDir
  Path dir;

  @BeforeAll
  static void startDemo() {
    demo = GoDemoProcess.start(200);
  }

  @AfterAll
  static void stopDemo() {
    demo.close();
  }

  @Test
  void aHostileLabelIsRedactedEscapedAndBoundedAndTheTraceIsStillFound() throws Exception {
    List<CompletableFuture<String>> inFlight = new ArrayList<>();
    inFlight.add(demo.getTraced("/work/block?ms=6000", HOSTILE));
    inFlight.add(demo.getTraced("/work/cpu?ms=6000", HOSTILE));
    awaitInProfile(SECRET);

    Path session = dir.resolve("hostile.yaml");
    Files.writeString(session, """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: hostile}
        spec:
          target: {podName: demo}
          pprof: {port: %d}
          filter: {traceId: %s}
          redact: ['password=\\S+']
          captures:
            - {kind: Goroutines}
            - {kind: TraceStacks}
            - {kind: CPUProfile, duration: 2s}
        """.formatted(demo.pprofPort(), TRACE_ID));
    Path out = dir.resolve("out");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit = SidecarMain.run(new String[] {"capture", "--pid", String.valueOf(demo.pid()), "-f", session.toString(),
        "--out", out.toString()}, Map.of(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertThat(exit).as(stderr.toString(StandardCharsets.UTF_8)).isZero();

    // The trace is found through the hostile header: both goroutines serving it.
    JsonNode traces = ContractJson.mapper().readTree(out.resolve("trace-stacks.json").toFile()).path("traces");
    assertThat(traces).singleElement().satisfies(t -> assertThat(t.path("traceId").asText()).isEqualTo(TRACE_ID));
    assertThat(traces.get(0).path("goroutines").asInt()).isGreaterThanOrEqualTo(2);

    long bytesChecked = 0;
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.toList()) {
        byte[] content = Files.readAllBytes(file);
        bytesChecked += content.length;
        String name = file.getFileName().toString();
        String text = name.endsWith(".pb.gz") ? GoPprof.run("-raw", file.toString())
            : new String(content, StandardCharsets.UTF_8);
        assertThat(text).as("%s holds the credential", name).doesNotContain(SECRET);
        if (name.endsWith(".html")) {
          assertThat(text).as("%s renders the label as markup", name).doesNotContain("<script>alert")
              .doesNotContain("<img src=x");
          assertThat(text.split("<script", -1)).as("%s: only the page's own two scripts", name).hasSize(3);
        }
      }
    }
    // Redacted in the profiles themselves (what go tool pprof shows), the rest of the label kept.
    assertThat(GoPprof.run("-raw", out.resolve("goroutines-1.pb.gz").toString()))
        .contains("traceparent:[01-" + TRACE_ID).contains("&amp; [REDACTED] AAAA");

    // What the status is built from stays small whatever the label's size.
    SidecarReport report = ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class);
    byte[] reportBytes = ContractJson.mapper().writeValueAsBytes(report.captures());
    assertThat(reportBytes.length).as("captures in report.json").isLessThan(64 * 1024);
    System.out.printf("[fault] hostile traceparent label (%d KiB of markup, quotes, tab and a credential): "
        + "trace found, credential redacted in %d artifacts (%d KiB checked), no markup in the flame graphs, "
        + "report captures %d bytes%n", HOSTILE.length() / 1024, report.artifacts().size(), bytesChecked / 1024,
        reportBytes.length);
    inFlight.forEach(CompletableFuture::join);
  }

  private static void awaitInProfile(String marker) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (new String(demo.pprof("/debug/pprof/goroutine?debug=1"), StandardCharsets.UTF_8).contains(marker)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the hostile requests did not show up in the goroutine profile within 10 s");
  }
}
