package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.sidecar.pprof.GoPprof;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Local mode against the real Go demo service: three traced requests in flight (one burning CPU,
 * one blocked on a channel, one sleeping), {@code sidecar capture} with every pprof capture kind,
 * and what it wrote checked with {@code go tool pprof} and against the unfiltered profiles it read.
 */
class LocalCaptureIT {

  private record Request(String path, String traceId, String function) {
    String traceparent() {
      return "00-" + traceId + "-" + traceId.substring(0, 16) + "-01";
    }
  }

  private static final List<Request> REQUESTS = List.of(
      new Request("/work/cpu?ms=8000", "1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a", "main.burnCPU"),
      new Request("/work/block?ms=8000", "2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b", "main.waitOnChannel"),
      new Request("/work/sleep?ms=8000", "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c", "main.sleepFor"));

  private static final String ALL_KINDS = """
      apiVersion: gopherscope.dev/v1alpha1
      kind: DebugSession
      metadata: {name: local-all}
      spec:
        target: {podName: demo}
        pprof: {port: 6060}
        filter:
          labelKeys: [traceparent]
        captures:
          - {kind: Goroutines, every: 1s, count: 2}
          - {kind: TraceStacks}
          - {kind: CPUProfile, duration: 2s}
          - {kind: Heap}
          - {kind: Block}
          - {kind: Mutex}
          - {kind: Allocs}
        timeout: 2m
      """;

  private static GoDemoProcess demo;

  @TempDir
  Path dir;

  @BeforeAll
  static void startDemo() {
    demo = GoDemoProcess.start(2000);
  }

  @AfterAll
  static void stopDemo() {
    demo.close();
  }

  @Test
  void capturesEveryPprofKindFilteredAndReadableByPprof() throws Exception {
    List<CompletableFuture<String>> inFlight = startRequests();
    Path out = dir.resolve("out");
    try (RecordingPprofProxy proxy = new RecordingPprofProxy(demo.pprofBase())) {
      Result result = capture(session(ALL_KINDS), "--pprof-port", String.valueOf(proxy.port()), "--out", out.toString());

      assertThat(result.exit()).as(result.stderr()).isZero();
      assertThat(result.stdout()).contains("7 of 7 capture(s) ok", "go tool pprof -http=: " + out.resolve("cpu.pb.gz"),
          out.resolve("cpu.html").toString());
      assertThat(result.stderr()).contains("goroutines snapshot 2/2", "profiling CPU for 2 s");

      GoPprof.assumeAvailable();
      try (Stream<Path> files = Files.list(out)) {
        for (Path profile : files.filter(f -> f.toString().endsWith(".pb.gz")).toList()) {
          assertThat(GoPprof.run("-raw", profile.toString())).as(profile.toString()).contains("Samples:");
        }
      }
      // The filtered artifacts hold exactly what pprof's own tag filter keeps of the input the sidecar read.
      assertSameAsTagfocus(out.resolve("cpu.pb.gz"), proxy.answers("/debug/pprof/profile").get(0));
      List<byte[]> goroutineAnswers = proxy.answers("/debug/pprof/goroutine");
      assertThat(goroutineAnswers).hasSize(3); // two snapshots, then the trace stacks
      assertSameAsTagfocus(out.resolve("goroutines-1.pb.gz"), goroutineAnswers.get(0));
      assertSameAsTagfocus(out.resolve("goroutines-2.pb.gz"), goroutineAnswers.get(1));
    }

    Map<String, JsonNode> traces = traces(out.resolve("trace-stacks.json"));
    assertThat(traces).containsOnlyKeys(REQUESTS.stream().map(Request::traceId).toList());
    for (Request request : REQUESTS) {
      List<String> functions = functions(traces.get(request.traceId()));
      assertThat(functions).as(request.path()).contains(request.function());
      REQUESTS.stream().filter(r -> r != request)
          .forEach(other -> assertThat(functions).doesNotContain(other.function()));
      assertThat(functions).doesNotContain("main.idleWorker");
    }
    assertThat(traces.get(REQUESTS.get(0).traceId()).path("blocked").asInt()).isZero();
    assertThat(traces.get(REQUESTS.get(1).traceId()).path("blocked").asInt()).isEqualTo(1);
    assertThat(traces.get(REQUESTS.get(2).traceId()).path("blocked").asInt()).isEqualTo(1);

    for (String html : List.of("cpu.html", "heap.html", "block.html", "mutex.html", "allocs.html")) {
      String page = Files.readString(out.resolve(html));
      assertThat(page).as(html).contains("<title>").contains(" of pid-" + demo.pid());
      assertThat(page.split("<script", -1)).as(html + ": only the page's own two scripts").hasSize(3);
    }

    SidecarReport report = ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class);
    assertThat(report.pid()).isEqualTo((int) demo.pid());
    assertThat(report.goVersion()).startsWith("go1.");
    assertThat(report.captures()).hasSize(7).allSatisfy(c -> assertThat(c.ok()).as(c.message()).isTrue());
    assertThat(report.artifacts()).extracting(SidecarReport.ArtifactRecord::name).contains("goroutines-1.json",
        "goroutines-1.pb.gz", "goroutines-2.json", "goroutines-2.pb.gz", "goroutines-diff.json", "trace-stacks.json",
        "trace-stacks.pb.gz", "cpu.pb.gz", "cpu.html", "heap.pb.gz", "heap.html", "block.pb.gz", "block.html",
        "mutex.pb.gz", "mutex.html", "allocs.pb.gz", "allocs.html");
    for (SidecarReport.ArtifactRecord artifact : report.artifacts()) {
      assertThat(artifact.state()).isEqualTo("Spooled");
      assertThat(SpooledFiles.sha256(Files.readAllBytes(out.resolve(artifact.name())))).as(artifact.name())
          .isEqualTo(artifact.sha256());
    }
    finish(inFlight);
  }

  @Test
  void aSessionNamingOneTraceparentReturnsOnlyThatTrace() throws Exception {
    List<CompletableFuture<String>> inFlight = startRequests();
    Request wanted = REQUESTS.get(1);
    Path out = dir.resolve("one-trace");
    Result result = capture(session("""
        spec:
          pprof: {port: %d}
          filter: {traceparent: %s}
          captures:
            - {kind: TraceStacks}
            - {kind: Goroutines}
        """.formatted(demo.pprofPort(), wanted.traceparent())), "--out", out.toString());

    assertThat(result.exit()).as(result.stderr()).isZero();
    Map<String, JsonNode> traces = traces(out.resolve("trace-stacks.json"));
    assertThat(traces).containsOnlyKeys(wanted.traceId());
    assertThat(functions(traces.get(wanted.traceId()))).contains(wanted.function());
    JsonNode goroutines = ContractJson.mapper().readTree(out.resolve("goroutines-1.json").toFile());
    assertThat(goroutines.path("matchedGoroutines").asLong()).isEqualTo(1);
    finish(inFlight);
  }

  @Test
  void uploadsToS3WithSigV4() throws Exception {
    S3Server s3 = S3Server.shared();
    String bucket = "local-capture-" + Long.toHexString(System.nanoTime());
    try (S3Client client = s3.newClient()) {
      client.createBucket(b -> b.bucket(bucket));
      Result result = capture(session("""
          spec:
            pprof: {port: %d}
            captures:
              - {kind: Heap}
              - {kind: Goroutines}
          """.formatted(demo.pprofPort())), Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(),
          "AWS_SECRET_ACCESS_KEY", s3.secretKey()), "--out", "s3://" + bucket + "/runs/one",
          "--s3-endpoint", s3.endpoint().toString());

      assertThat(result.exit()).as(result.stderr() + result.stdout()).isZero();
      assertThat(result.stdout()).contains("s3://" + bucket + "/runs/one/heap.pb.gz", "aws s3 cp --endpoint-url");
      byte[] reportBytes = client.getObjectAsBytes(g -> g.bucket(bucket).key("runs/one/report.json")).asByteArray();
      SidecarReport report = ContractJson.mapper().readValue(reportBytes, SidecarReport.class);
      assertThat(report.artifacts()).extracting(SidecarReport.ArtifactRecord::name)
          .containsExactly("heap.pb.gz", "heap.html", "goroutines-1.json", "goroutines-1.pb.gz");
      for (SidecarReport.ArtifactRecord artifact : report.artifacts()) {
        assertThat(artifact.state()).isEqualTo("Uploaded");
        byte[] stored = client.getObjectAsBytes(g -> g.bucket(bucket).key("runs/one/" + artifact.name())).asByteArray();
        assertThat(SpooledFiles.sha256(stored)).as(artifact.name()).isEqualTo(artifact.sha256());
      }
    }
  }

  @Test
  void anAppWithoutPprofFailsEachCaptureWithTheReasonButStillReports() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path out = dir.resolve("no-pprof");
    Result result = capture(session("""
        spec:
          pprof: {port: %d}
          captures:
            - {kind: Heap}
        """.formatted(closedPort)), "--out", out.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.stdout()).contains("FAILED",
        "the app does not serve pprof on 127.0.0.1:" + closedPort + " (connection refused)");
    SidecarReport report = ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class);
    assertThat(report.captures()).singleElement().satisfies(c -> assertThat(c.ok()).isFalse());
    assertThat(report.artifacts()).isEmpty();
  }

  private static void assertSameAsTagfocus(Path filtered, byte[] unfiltered) throws IOException {
    Path input = Files.createTempFile("unfiltered", ".pb.gz");
    Files.write(input, unfiltered);
    long theirs = GoPprof.rawTotal(GoPprof.run("-raw", "-tagfocus=traceparent=.", input.toString()));
    long ours = GoPprof.rawTotal(GoPprof.run("-raw", filtered.toString()));
    assertThat(ours).as(filtered.getFileName() + " against -tagfocus on what the sidecar read").isEqualTo(theirs)
        .isPositive();
    assertThat(GoPprof.rawTotal(GoPprof.run("-raw", input.toString()))).isGreaterThanOrEqualTo(theirs);
    Files.delete(input);
  }

  /** Starts the three traced requests and waits until the goroutine profile shows all three. */
  private static List<CompletableFuture<String>> startRequests() throws InterruptedException {
    List<CompletableFuture<String>> inFlight = new ArrayList<>();
    for (Request request : REQUESTS) {
      inFlight.add(demo.getTraced(request.path(), request.traceparent()));
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      String dump = new String(demo.pprof("/debug/pprof/goroutine?debug=1"), StandardCharsets.UTF_8);
      if (REQUESTS.stream().allMatch(r -> dump.contains(r.traceId()))) {
        return inFlight;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the traced requests did not show up in the goroutine profile within 10 s");
  }

  private static void finish(List<CompletableFuture<String>> inFlight) {
    inFlight.forEach(CompletableFuture::join);
  }

  private Path session(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "session", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private record Result(int exit, String stdout, String stderr) {
  }

  private static Result capture(Path session, String... more) {
    return capture(session, Map.of(), more);
  }

  private static Result capture(Path session, Map<String, String> env, String... more) {
    List<String> args = new ArrayList<>(List.of("capture", "--pid", String.valueOf(demo.pid()), "-f", session.toString()));
    args.addAll(List.of(more));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = SidecarMain.run(args.toArray(String[]::new), env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, JsonNode> traces(Path file) throws IOException {
    Map<String, JsonNode> traces = new HashMap<>();
    ContractJson.mapper().readTree(file.toFile()).path("traces").forEach(t -> traces.put(t.path("traceId").asText(), t));
    return traces;
  }

  private static List<String> functions(JsonNode trace) {
    List<String> functions = new ArrayList<>();
    trace.path("stacks").forEach(s -> s.path("frames").forEach(f -> functions.add(f.path("function").asText())));
    return functions;
  }
}
