package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's failures: each one exits 2 with a message that says what to change. */
class SidecarMainTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void helpListsTheModesAndTheExitCodes() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(stdout()).contains("sidecar run", "sidecar capture --pid N", "exit codes:", "GOPHERSCOPE_PLAN");
  }

  @Test
  void noCommandOrAnUnknownOneIsAUsageError() {
    assertThat(run(Map.of())).isEqualTo(2);
    assertThat(stderr()).contains("say what to do");
    assertThat(run(Map.of(), "profile")).isEqualTo(2);
    assertThat(stderr()).contains("unknown command 'profile'");
  }

  @Test
  void captureNamesEachMissingOrMalformedArgument() {
    assertThat(run(Map.of(), "capture", "-f", "s.yaml", "--out", "x")).isEqualTo(2);
    assertThat(stderr()).contains("--pid is required");
    assertThat(run(Map.of(), "capture", "--pid", "abc")).isEqualTo(2);
    assertThat(stderr()).contains("--pid must be a positive number, got 'abc'");
    assertThat(run(Map.of(), "capture", "--pid", "1", "--out", "x")).isEqualTo(2);
    assertThat(stderr()).contains("-f is required");
    assertThat(run(Map.of(), "capture", "--pid", "1", "-f", "s.yaml")).isEqualTo(2);
    assertThat(stderr()).contains("--out is required");
    assertThat(run(Map.of(), "capture", "--pid", "1", "-f", "s.yaml", "--out", "x", "--pprof-port", "70000"))
        .isEqualTo(2);
    assertThat(stderr()).contains("--pprof-port must be 1..65535");
    assertThat(run(Map.of(), "capture", "--pid", "1", "-f", "s.yaml", "--out", "x", "--frobnicate")).isEqualTo(2);
    assertThat(stderr()).contains("unknown argument '--frobnicate'");
    assertThat(run(Map.of(), "capture", "--pid", "1", "-f", "s.yaml", "--out", "x", "--s3-endpoint", "http://h:1"))
        .isEqualTo(2);
    assertThat(stderr()).contains("--s3-endpoint only applies to an s3:// --out");
    assertThat(run(Map.of(), "capture", "--pid", "1", "-f", "s.yaml", "--out")).isEqualTo(2);
    assertThat(stderr()).contains("--out needs a value");
  }

  @Test
  void aSessionFileThatIsMissingOrWrongIsAUsageError() throws IOException {
    assertThat(capture(dir.resolve("missing.yaml"))).isEqualTo(2);
    assertThat(stderr()).contains("cannot read the session file");

    assertThat(capture(session("spec: {pprof: {port: 6060}, captures: [{kind: Stacks}]}"))).isEqualTo(2);
    assertThat(stderr()).contains("unknown capture kind", "Goroutines", "TraceStacks");

    assertThat(capture(session("spec: {pprof: {port: 6060}, captures: []}"))).isEqualTo(2);
    assertThat(stderr()).contains("has no spec.captures");

    assertThat(capture(session("kind: Pod\nspec: {}"))).isEqualTo(2);
    assertThat(stderr()).contains("is a Pod, not a DebugSession");

    assertThat(capture(session("spec: {pprof: {port: 6060}, redact: ['(open'], captures: [{kind: Heap}]}")))
        .isEqualTo(2);
    assertThat(stderr()).contains("redact pattern #1 '(open' is not a valid RE2 regular expression");

    assertThat(capture(session("spec: {pprof: {port: 6060}, timeout: soon, captures: [{kind: Heap}]}")))
        .isEqualTo(2);
    assertThat(stderr()).contains("not a Go duration");
  }

  @Test
  void anS3DestinationNeedsCredentials() throws IOException {
    Path session = session("spec: {pprof: {port: 6060}, captures: [{kind: Heap}]}");

    assertThat(run(Map.of(), "capture", "--pid", "1", "-f", session.toString(), "--out", "s3://bucket/prefix"))
        .isEqualTo(2);
    assertThat(stderr()).contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    assertThat(run(Map.of(), "capture", "--pid", "1", "-f", session.toString(), "--out", "s3://B_/x")).isEqualTo(2);
    assertThat(stderr()).contains("is not an S3 bucket name");
  }

  @Test
  void aProcessThatDoesNotExistIsATargetFailure() throws IOException {
    Path session = session("spec: {pprof: {port: 6060}, captures: [{kind: Heap}]}");

    assertThat(run(Map.of(), "capture", "--pid", "999999999", "-f", session.toString(), "--out",
        dir.resolve("out").toString())).isEqualTo(3);
    assertThat(stderr()).contains("NoProcess", "no process with pid 999999999");
  }

  @Test
  void runNamesEveryMissingVariable() {
    assertThat(run(Map.of(), "run")).isEqualTo(2);
    assertThat(stderr()).contains("GOPHERSCOPE_PLAN is not set", "GOPHERSCOPE_API_SERVER is not set",
        "GOPHERSCOPE_TOKEN is not set", "GOPHERSCOPE_UPLOADS is not set");
    assertThat(run(Map.of(), "run", "extra")).isEqualTo(2);
    assertThat(stderr()).contains("run takes no arguments");
  }

  @Test
  void runRejectsAPlanThatIsNotJson() {
    assertThat(run(Map.of("GOPHERSCOPE_PLAN", "{nope", "GOPHERSCOPE_API_SERVER", "https://127.0.0.1:1",
        "GOPHERSCOPE_TOKEN", "t", "GOPHERSCOPE_UPLOADS", "{}"), "run")).isEqualTo(2);
    assertThat(stderr()).contains("GOPHERSCOPE_PLAN is not a plan");
  }

  private int capture(Path session) {
    return run(Map.of(), "capture", "--pid", "1", "-f", session.toString(), "--out", dir.resolve("out").toString());
  }

  private Path session(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "session", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private int run(Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    return SidecarMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
