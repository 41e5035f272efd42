package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Label;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SampleFilterTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @CsvSource({
      Fixtures.CPU_TRACE + ", main.burnCPU",
      Fixtures.BLOCK_TRACE + ", main.waitOnChannel",
      Fixtures.SLEEP_TRACE + ", main.sleepFor",
      Fixtures.FANOUT_TRACE + ", main.fanoutWorker"})
  void aTraceFilterKeepsExactlyThatTracesGoroutines(String traceId, String function) {
    PprofProfile all = Fixtures.decode(Fixtures.GOROUTINES);

    PprofProfile trace = new SampleFilter(LabelMatcher.any().withTrace(traceId)).apply(all);

    assertThat(trace.samples().size()).isPositive().isEqualTo(samplesLabelled(all, "trace_id", traceId));
    for (int s = 0; s < trace.samples().size(); s++) {
      assertThat(labels(trace, s)).containsEntry("trace_id", traceId)
          .hasEntrySatisfying("traceparent", v -> assertThat(v).contains(traceId));
    }
    assertThat(functionNames(trace)).contains(function, "runtime/pprof.Do");
    assertThat(functionNames(trace)).doesNotContain("main.idleWorker");
  }

  @Test
  void aTraceFilterAcceptsTheTraceparentToo() {
    PprofProfile all = Fixtures.decode(Fixtures.GOROUTINES);

    int[] byId = new SampleFilter(LabelMatcher.any().withTrace(Fixtures.SLEEP_TRACE)).matchingSamples(all);
    int[] byTraceparent = new SampleFilter(LabelMatcher.any()
        .withTrace("00-" + Fixtures.SLEEP_TRACE + "-53995c3f42cd8ad8-01")).matchingSamples(all);

    assertThat(byTraceparent).isEqualTo(byId).hasSize(1);
  }

  @Test
  void everyExactPairMustMatch() {
    PprofProfile all = Fixtures.decode(Fixtures.GOROUTINES);

    PprofProfile fanout = new SampleFilter(LabelMatcher.any()
        .withLabels(Map.of("route", "/work/fanout", "trace_id", Fixtures.FANOUT_TRACE))).apply(all);
    PprofProfile contradiction = new SampleFilter(LabelMatcher.any()
        .withLabels(Map.of("route", "/work/fanout", "trace_id", Fixtures.CPU_TRACE))).apply(all);
    PprofProfile unknownValue = new SampleFilter(LabelMatcher.any().withLabel("route", "/nowhere")).apply(all);

    // The handler goroutine and its five workers.
    assertThat(fanout.total(0)).isEqualTo(6);
    assertThat(contradiction.samples().size()).isZero();
    assertThat(unknownValue.samples().size()).isZero();
    assertThat(unknownValue.locations()).isEmpty();
    assertThat(unknownValue.strings().size()).isLessThan(10);
  }

  @Test
  void keysMustBePresent() {
    PprofProfile all = Fixtures.decode(Fixtures.GOROUTINES);

    assertThat(new SampleFilter(LabelMatcher.any().withKey("worker")).apply(all).total(0)).isEqualTo(20);
    assertThat(new SampleFilter(LabelMatcher.any().withKey("traceparent")).apply(all).samples().size())
        .isEqualTo(samplesWithKey(all, "traceparent"));
    assertThat(new SampleFilter(LabelMatcher.any().withKey("no such key")).apply(all).samples().size()).isZero();
  }

  @Test
  void aNumericLabelCountsAsPresent() {
    ProfileBuilder b = ProfileBuilder.goroutines();
    int bytes = b.str("bytes");
    int size = b.str("size");
    b.sampleWithLabels(new long[] {1}, List.of(new Label(size, 0, 4096, bytes)), "main.alloc");
    b.sampleWithLabels(new long[] {2}, List.of(new Label(size, 0, 0, 0)), "main.none");
    PprofProfile p = b.build();

    PprofProfile sized = new SampleFilter(LabelMatcher.any().withKey("size")).apply(p);

    assertThat(sized.total(0)).isEqualTo(1);
    assertThat(functionNames(sized)).containsExactly("main.alloc");
  }

  @Test
  void datadogLabelsAreFoundByTheirZeroPaddedTraceId() {
    PprofProfile p = ProfileBuilder.goroutines()
        .goroutine(3, Map.of("local root span id", "11803532876627986230", "span id", "67667974448284343"), "main.dd")
        .goroutine(4, Map.of("local root span id", "42", "span id", "43"), "main.other")
        .goroutine(5, Map.of("route", "/idle"), "main.idle")
        .build();

    PprofProfile trace = new SampleFilter(LabelMatcher.any().withTrace("0000000000000000a3ce929d0e0e4736")).apply(p);

    assertThat(trace.total(0)).isEqualTo(3);
    assertThat(functionNames(trace)).containsExactly("main.dd");
  }

  @Test
  void onProfilesTheTraceFilterDecidesExactlyAsTraceLabels() {
    String a = "4bf92f3577b34da6a3ce929d0e0e4736";
    String b = "0af7651916cd43dd8448eb211c80319c";
    List<Map<String, String>> labelSets = List.of(
        Map.of("traceparent", "00-" + a + "-00f067aa0ba902b7-01"),
        Map.of("traceparent", "00-" + a + "-00f067aa0ba902b7-01", "trace_id", b),
        Map.of("traceparent", "00-" + b + "-00f067aa0ba902b7-01", "trace_id", a),
        Map.of("traceparent", "garbage", "trace_id", a),
        Map.of("traceparent", "garbage", "trace_id", "garbage", "otel.trace_id", a.toUpperCase()),
        Map.of("trace_id", "zz", "local root span id", Long.toUnsignedString(Long.parseUnsignedLong(a.substring(16), 16))),
        Map.of("trace_id", b, "local root span id", "42"),
        Map.of("span_id", "00f067aa0ba902b7"),
        Map.of());
    ProfileBuilder builder = ProfileBuilder.goroutines();
    for (int i = 0; i < labelSets.size(); i++) {
      builder.goroutine(1, labelSets.get(i), "main.f" + i);
    }
    PprofProfile p = builder.build();

    for (String trace : List.of(a, b, "0000000000000000" + a.substring(16))) {
      int[] matched = new SampleFilter(LabelMatcher.any().withTrace(trace)).matchingSamples(p);
      int[] expected = IntStream.range(0, labelSets.size())
          .filter(i -> TraceLabels.belongsTo(labelSets.get(i), trace)).toArray();
      assertThat(matched).as("trace %s", trace).isEqualTo(expected).isNotEmpty();
    }
  }

  @Test
  void aFilteredProfileKeepsOnlyWhatItsSamplesUse() {
    PprofProfile all = Fixtures.decode(Fixtures.GOROUTINES);

    PprofProfile sleep = new SampleFilter(LabelMatcher.any().withTrace(Fixtures.SLEEP_TRACE)).apply(all);

    assertThat(sleep.string(0)).isEmpty();
    Set<Long> usedLocations = new HashSet<>();
    for (int s = 0; s < sleep.samples().size(); s++) {
      for (long id : sleep.samples().locationIds(s)) {
        usedLocations.add(id);
      }
    }
    assertThat(sleep.locations()).extracting(Location::id).containsExactlyInAnyOrderElementsOf(usedLocations);
    Set<Long> usedFunctions = sleep.locations().stream().flatMap(l -> l.lines().stream())
        .map(Line::functionId).collect(Collectors.toSet());
    assertThat(sleep.functions()).extracting(Function::id).containsExactlyInAnyOrderElementsOf(usedFunctions);
    assertThat(sleep.mappings()).extracting(Mapping::id).containsExactly(1L);
    assertThat(sleep.strings().size()).isLessThan(all.strings().size() / 2);
    // Every string left is referenced, except that none other than index 0 is "".
    Set<String> texts = IntStream.range(1, sleep.strings().size()).mapToObj(sleep::string).collect(Collectors.toSet());
    assertThat(texts).doesNotContain("", Fixtures.CPU_TRACE, "main.idleWorker", "/idle");
    assertThat(new PprofDecoder().decode(PprofEncoder.encode(sleep))).isEqualTo(sleep);
  }

  @Test
  void matchingEverythingReturnsTheProfileItself() {
    PprofProfile all = Fixtures.decode(Fixtures.GOROUTINES);
    assertThat(new SampleFilter(LabelMatcher.any()).apply(all)).isSameAs(all);
  }

  @ParameterizedTest
  @CsvSource({
      Fixtures.GOROUTINES + ", trace_id, " + Fixtures.CPU_TRACE,
      Fixtures.GOROUTINES + ", trace_id, " + Fixtures.BLOCK_TRACE,
      Fixtures.GOROUTINES + ", trace_id, " + Fixtures.FANOUT_TRACE,
      Fixtures.GOROUTINES + ", route, /idle",
      Fixtures.GOROUTINES + ", worker, 7",
      Fixtures.CPU + ", trace_id, " + Fixtures.CPU_TRACE,
      Fixtures.CPU + ", trace_id, " + Fixtures.SECOND_CPU_TRACE,
      Fixtures.CPU + ", span_id, 00f067aa0ba902b7"})
  void filteredTotalsEqualGoToolPprofTagfocus(String fixture, String key, String value) throws IOException {
    GoPprof.assumeAvailable();
    PprofProfile all = Fixtures.decode(fixture);

    PprofProfile ours = new SampleFilter(LabelMatcher.any().withLabel(key, value)).apply(all);
    // pprof's -tagfocus value is an unanchored regexp, and a number is read as a range of numeric
    // labels; anchored and quoted, it is the exact string match we implement.
    String exact = "^\\Q" + value + "\\E$";
    String theirs = GoPprof.run("-raw", "-tagfocus=" + key + "=" + exact, Fixtures.path(fixture).toString());

    assertThat(ours.total(0)).isPositive().isEqualTo(GoPprof.rawTotal(theirs));
    Path written = tmp.resolve("filtered.pb.gz");
    Files.write(written, PprofEncoder.encode(ours));
    String ourRaw = GoPprof.run("-raw", written.toString());
    assertThat(samplesSection(ourRaw)).isEqualTo(samplesSection(theirs));
    assertThat(GoPprof.run("-top", written.toString())).contains("Showing nodes accounting for");
  }

  @ParameterizedTest
  @CsvSource({
      Fixtures.GOROUTINES + ", " + Fixtures.CPU_TRACE,
      Fixtures.GOROUTINES + ", " + Fixtures.BLOCK_TRACE,
      Fixtures.GOROUTINES + ", " + Fixtures.SLEEP_TRACE,
      Fixtures.GOROUTINES + ", " + Fixtures.FANOUT_TRACE,
      Fixtures.CPU + ", " + Fixtures.CPU_TRACE,
      Fixtures.CPU + ", " + Fixtures.SECOND_CPU_TRACE})
  void traceFilterTotalsEqualGoToolPprofTagfocusOnTraceId(String fixture, String traceId) {
    GoPprof.assumeAvailable();
    PprofProfile all = Fixtures.decode(fixture);

    PprofProfile ours = new SampleFilter(LabelMatcher.any().withTrace(traceId)).apply(all);
    String theirs = GoPprof.run("-raw", "-tagfocus=trace_id=" + traceId, Fixtures.path(fixture).toString());

    assertThat(ours.total(0)).isPositive().isEqualTo(GoPprof.rawTotal(theirs));
    assertThat(ours.samples().size()).isLessThan(all.samples().size());
  }

  @Test
  void anEmptyResultIsStillAProfileGoToolPprofReads() throws IOException {
    GoPprof.assumeAvailable();
    PprofProfile none = new SampleFilter(LabelMatcher.any().withLabel("route", "/nowhere"))
        .apply(Fixtures.decode(Fixtures.CPU));
    Path written = tmp.resolve("empty.pb.gz");
    Files.write(written, PprofEncoder.encode(none));

    assertThat(GoPprof.rawTotal(GoPprof.run("-raw", written.toString()))).isZero();
  }

  private static String samplesSection(String raw) {
    return raw.substring(raw.indexOf("Samples:"), raw.indexOf("Locations"));
  }

  static Map<String, String> labels(PprofProfile p, int s) {
    return IntStream.range(0, p.samples().labelCount(s)).boxed().collect(Collectors.toMap(
        j -> p.string(p.samples().labelKey(s, j)), j -> p.string(p.samples().labelStr(s, j))));
  }

  private static long samplesLabelled(PprofProfile p, String key, String value) {
    return IntStream.range(0, p.samples().size()).filter(s -> value.equals(labels(p, s).get(key))).count();
  }

  private static long samplesWithKey(PprofProfile p, String key) {
    return IntStream.range(0, p.samples().size()).filter(s -> labels(p, s).containsKey(key)).count();
  }

  static Set<String> functionNames(PprofProfile p) {
    return p.functions().stream().map(f -> p.string(f.name())).collect(Collectors.toSet());
  }
}
