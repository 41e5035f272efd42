package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Label;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.Mapping;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PprofRoundTripTest {

  @TempDir
  Path tmp;

  @Test
  void decodesTheGoroutineFixtureAsGoWroteIt() {
    PprofProfile p = Fixtures.decode(Fixtures.GOROUTINES);

    assertThat(p.sampleTypes()).hasSize(1);
    assertThat(p.string(p.sampleTypes().get(0).type())).isEqualTo("goroutine");
    assertThat(p.string(p.sampleTypes().get(0).unit())).isEqualTo("count");
    assertThat(p.string(p.periodType().type())).isEqualTo("goroutine");
    assertThat(p.period()).isEqualTo(1);
    assertThat(p.timeNanos()).isPositive();
    assertThat(p.string(0)).isEmpty();
    assertThat(p.mappings()).isNotEmpty();
    assertThat(p.string(p.mappings().get(0).filename())).endsWith("demo-service");
    assertThat(p.mappings().get(0).hasFunctions()).isTrue();
    // 20 idle workers, 5 fanout workers and the request goroutines of the four traces, among others.
    assertThat(p.total(0)).isGreaterThan(30);
    assertThat(p.functions()).extracting(f -> p.string(f.name()))
        .contains("main.burnCPU", "main.waitOnChannel", "main.sleepFor", "main.fanoutWorker", "main.idleWorker");
  }

  @Test
  void decodesInlinedFramesAsSeveralLinesOfOneLocation() {
    PprofProfile p = Fixtures.decode(Fixtures.CPU);

    assertThat(p.sampleTypes()).extracting(t -> p.string(t.type())).containsExactly("samples", "cpu");
    assertThat(p.durationNanos()).isPositive();
    assertThat(p.period()).isEqualTo(10_000_000L);
    Location inlined = p.locations().stream().filter(l -> l.lines().size() > 1).findFirst().orElseThrow();
    assertThat(inlined.lines()).allSatisfy(line -> assertThat(line.functionId()).isPositive());
  }

  @ParameterizedTest
  @ValueSource(strings = {Fixtures.GOROUTINES, Fixtures.CPU})
  void fixturesSurviveDecodeEncodeDecode(String fixture) {
    PprofProfile decoded = Fixtures.decode(fixture);

    PprofProfile again = new PprofDecoder().decode(PprofEncoder.encode(decoded));

    assertThat(again).isEqualTo(decoded);
    assertThat(again.hashCode()).isEqualTo(decoded.hashCode());
  }

  @Test
  void everyFieldOfProfileProtoSurvivesARoundTrip() throws IOException {
    PprofProfile full = everyField();

    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    PprofEncoder.writeUncompressed(full, raw);
    PprofProfile fromGzip = new PprofDecoder().decode(PprofEncoder.encode(full));
    PprofProfile fromRaw = new PprofDecoder().decode(raw.toByteArray());
    PprofProfile fromStream = new PprofDecoder().decode(new ByteArrayInputStream(PprofEncoder.encode(full)));

    assertThat(fromGzip).isEqualTo(full);
    assertThat(fromRaw).isEqualTo(full);
    assertThat(fromStream).isEqualTo(full);
    assertThat(fromGzip.samples().label(0, 1)).isEqualTo(new Label(13, 0, 4096, 4));
  }

  @ParameterizedTest
  @ValueSource(strings = {Fixtures.GOROUTINES, Fixtures.CPU})
  void goToolPprofReadsOurEncodingExactlyAsTheOriginal(String fixture) throws IOException {
    GoPprof.assumeAvailable();
    Path ours = tmp.resolve("ours.pb.gz");
    Files.write(ours, PprofEncoder.encode(Fixtures.decode(fixture)));

    String original = GoPprof.run("-raw", Fixtures.path(fixture).toString());
    String reencoded = GoPprof.run("-raw", ours.toString());

    assertThat(reencoded).isEqualTo(original);
    assertThat(GoPprof.run("-top", ours.toString())).contains("Showing nodes accounting for");
  }

  @Test
  void goToolPprofReadsEveryFieldWeWrite() throws IOException {
    GoPprof.assumeAvailable();
    Path ours = tmp.resolve("full.pb.gz");
    Files.write(ours, PprofEncoder.encode(everyField()));

    String raw = GoPprof.run("-raw", ours.toString());

    assertThat(raw)
        .contains("Comment: note one", "Comment: note two", "Doc: https://example.com/doc",
            "PeriodType: space bytes", "Period: 524288", "Duration: 10s",
            "alloc_objects/count alloc_space/bytes[dflt]")
        .contains("key:[value]", "size:[4096 bytes]", "size:[-5]")
        .contains("main.inner /src/main.go:42:7 s=40(main.inner.sys)", "main.outer /src/main.go:99:3 s=90")
        .contains("M=2 [F] main.outer")
        .contains("/app/server abc123 [FN][FL][LN][IN]");
    assertThat(GoPprof.rawTotal(raw)).isEqualTo(3 + 7);
    assertThat(GoPprof.run("-top", ours.toString())).contains("main.inner");
  }

  @Test
  void locationIdsPastThirtyTwoBitsSurviveARoundTripAndAFilter() {
    // Ids are stored in 32 bits until one does not fit; the switch must keep every earlier id.
    long narrowest = 0xFFFF_FFFFL;
    long wide = 0x1_0000_0001L;
    Samples samples = Samples.builder()
        .add(new long[] {1, narrowest}, new long[] {1}, List.of(Label.string(3, 4)))
        .add(new long[] {wide, 1}, new long[] {2}, List.of(Label.string(3, 5)))
        .build();
    PprofProfile profile = new PprofProfile(List.of(new ValueType(1, 2)), samples, List.of(),
        List.of(new Location(1, 0, 0x10, List.of(new Line(1, 1, 0)), false),
            new Location(narrowest, 0, 0x20, List.of(new Line(1, 2, 0)), false),
            new Location(wide, 0, 0x30, List.of(new Line(1, 3, 0)), false)),
        List.of(new Function(1, 6, 6, 0, 0)),
        StringTable.of(List.of("", "goroutine", "count", "route", "/a", "/b", "main.f")),
        0, 0, 0, 0, ValueType.NONE, 0, List.of(), 0, 0);

    PprofProfile again = new PprofDecoder().decode(PprofEncoder.encode(profile));
    PprofProfile kept = new SampleFilter(LabelMatcher.any().withLabel("route", "/b")).apply(again);

    assertThat(again).isEqualTo(profile);
    assertThat(again.samples().locationIds(0)).containsExactly(1, narrowest);
    assertThat(again.samples().locationIds(1)).containsExactly(wide, 1);
    assertThat(kept.samples().size()).isEqualTo(1);
    assertThat(kept.samples().locationIds(0)).containsExactly(wide, 1);
    assertThat(kept.locations()).extracting(Location::id).containsExactly(1L, wide);
  }

  /** A heap-like profile that sets every field profile.proto has, with non-default values. */
  static PprofProfile everyField() {
    List<String> strings = List.of("", "alloc_objects", "count", "alloc_space", "bytes", "space",
        "main.inner", "main.outer", "/src/main.go", "/app/server", "abc123", "key", "value", "size",
        "runtime\\..*", "main\\..*", "note one", "note two", "https://example.com/doc", "main.inner.sys");
    Samples samples = Samples.builder()
        .add(new long[] {1, 2}, new long[] {3, 3 * 4096},
            List.of(Label.string(11, 12), new Label(13, 0, 4096, 4)))
        .add(new long[] {2}, new long[] {7, -1}, List.of(new Label(13, 0, -5, 0)))
        .build();
    return new PprofProfile(
        List.of(new ValueType(1, 2), new ValueType(3, 4)),
        samples,
        List.of(new Mapping(1, 0x400000, 0x500000, 0x1000, 9, 10, true, true, true, true),
            new Mapping(2, 0x7f0000000000L, 0x7f0000100000L, 0, 9, 0, false, false, false, false)),
        List.of(new Location(1, 1, 0x401234, List.of(new Line(1, 42, 7), new Line(2, 99, 3)), false),
            new Location(2, 2, 0x7f0000000010L, List.of(new Line(2, 100, 0)), true)),
        List.of(new Function(1, 6, 19, 8, 40), new Function(2, 7, 7, 8, 90)),
        StringTable.of(strings),
        14, 15, 1_700_000_000_123_456_789L, 10_000_000_000L,
        new ValueType(5, 4), 524288,
        List.of(16, 17), 3, 18);
  }
}
