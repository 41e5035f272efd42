package dev.gopherscope.sidecar.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.contract.RedactPatterns;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.PprofEncoder;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.Samples;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void replacesOnlyWhatThePatternsMatch() {
    Redactor redactor = Redactor.compile(List.of("(?i)bearer [a-z0-9._-]+", "\\b\\d{16}\\b"));

    assertThat(redactor.redact("Authorization: Bearer abc.def-1 for 4111111111111111 ok"))
        .isEqualTo("Authorization: [REDACTED] for [REDACTED] ok");
    assertThat(redactor.redact("nothing secret")).isEqualTo("nothing secret");
    assertThat(redactor.redact(null)).isNull();
    assertThat(redactor.active()).isTrue();
  }

  @Test
  void aReplacementIsLiteralEvenWithDollarSigns() {
    assertThat(Redactor.compile(List.of("(s)ecret")).redact("a secret $1")).isEqualTo("a [REDACTED] $1");
  }

  @Test
  void anInvalidPatternIsAClearFailureUpFront() {
    assertThatThrownBy(() -> Redactor.compile(List.of("ok", "(unclosed")))
        .isInstanceOf(RedactPatterns.InvalidPatternException.class)
        .hasMessageContaining("redact pattern #2 '(unclosed' is not a valid RE2 regular expression");
    assertThatThrownBy(() -> Redactor.compile(List.of("")))
        .isInstanceOf(RedactPatterns.InvalidPatternException.class).hasMessageContaining("#1 is empty");
  }

  /**
   * A label an attacker controls (a header turned into a pprof label) against a pattern that
   * backtracks in java.util.regex: measured on JDK 17 here, 1,000 characters took 118 ms and
   * 100,000 did not finish in 5 s (it grows exponentially). RE2/J is linear in the input: 11-13 ms
   * warm here. The bounds only tell linear from exponential, so a machine under heavy load does not
   * flake (a cold call took 1.04 s at a load average of 15 on two cores); the figures are printed,
   * and bench/ measures speed.
   */
  @Test
  void aHostileLabelCostsLinearTimeNotThePodsCpu() {
    Redactor redactor = Redactor.compile(List.of("(a+)+$"));
    String hostile = "a".repeat(100_000) + "!";
    long cold = nanos(() -> redactor.redact(hostile));
    for (int i = 0; i < 20; i++) {
      redactor.redact(hostile);
    }
    long warm = nanos(() -> redactor.redact(hostile));
    System.out.printf("(a+)+$ on a %d-character hostile label: %.2f ms cold, %.2f ms warm%n", hostile.length(),
        cold / 1e6, warm / 1e6);
    assertThat(redactor.redact(hostile)).isEqualTo(hostile);
    assertThat(warm).as("warm, in ns").isLessThan(1_000_000_000L);
    assertThat(cold).as("cold, in ns").isLessThan(5_000_000_000L);
  }

  private static long nanos(Runnable work) {
    long start = System.nanoTime();
    work.run();
    return System.nanoTime() - start;
  }

  @Test
  void labelValuesAreRedactedKeysAndOrderKept() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("route", "/checkout");
    labels.put("user", "token=s3cr3t");

    Map<String, String> redacted = Redactor.compile(List.of("token=\\w+")).labels(labels);

    assertThat(redacted).containsExactly(Map.entry("route", "/checkout"), Map.entry("user", "[REDACTED]"));
    assertThat(Redactor.none().labels(labels)).isSameAs(labels);
  }

  @Test
  void aProfilesLabelValuesAreRedactedEverywhereButCodeStaysReadable() throws IOException {
    PprofProfile profile = fixture();
    Redactor redactor = Redactor.compile(List.of(TRACE));

    PprofProfile redacted = redactor.profile(profile);

    byte[] raw = gunzip(PprofEncoder.encode(redacted));
    assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain(TRACE).contains("main.burnCPU");
    PprofProfile reread = new PprofDecoder().decode(PprofEncoder.encode(redacted));
    assertThat(labelValues(reread)).contains("00-[REDACTED]-00f067aa0ba902b7-01", "[REDACTED]", "/work/cpu")
        .noneMatch(v -> v.contains(TRACE));
    assertThat(reread.total(0)).isEqualTo(profile.total(0));
    assertThat(reread.samples().size()).isEqualTo(profile.samples().size());
  }

  @Test
  void aProfileWithNothingToRedactIsReturnedAsIs() throws IOException {
    PprofProfile profile = fixture();

    assertThat(Redactor.compile(List.of("no such text")).profile(profile)).isSameAs(profile);
    assertThat(Redactor.none().profile(profile)).isSameAs(profile);
  }

  private static List<String> labelValues(PprofProfile p) {
    List<String> values = new ArrayList<>();
    Samples samples = p.samples();
    for (int s = 0; s < samples.size(); s++) {
      for (int j = 0; j < samples.labelCount(s); j++) {
        values.add(p.string(samples.labelStr(s, j)));
      }
    }
    return values;
  }

  private static PprofProfile fixture() throws IOException {
    try (InputStream in = RedactorTest.class.getResourceAsStream("/pprof/goroutine-traced.pb.gz")) {
      return new PprofDecoder().decode(in);
    }
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
