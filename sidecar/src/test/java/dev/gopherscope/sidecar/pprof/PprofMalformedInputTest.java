package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.sun.management.ThreadMXBean;
import dev.gopherscope.sidecar.pprof.PprofProfile.Label;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Bad input of every kind ends in a {@link PprofFormatException} that says what is wrong, quickly. */
class PprofMalformedInputTest {

  private final PprofDecoder decoder = new PprofDecoder();

  @Test
  void emptyInputIsRejected() {
    assertThatThrownBy(() -> decoder.decode(new byte[0]))
        .isInstanceOf(PprofFormatException.class).hasMessageContaining("empty input");
    assertThatThrownBy(() -> decoder.decode(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(PprofFormatException.class).hasMessageContaining("empty input");
    assertThatThrownBy(() -> decoder.decode(gzip(new byte[0])))
        .isInstanceOf(PprofFormatException.class).hasMessageContaining("empty input");
  }

  @Test
  void everyTruncationInsideAFieldSaysSoAndNamesWhere() {
    byte[] raw = uncompressed(Fixtures.decode(Fixtures.GOROUTINES));
    Set<Integer> fieldBoundaries = topLevelFieldBoundaries(raw);

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (int cut = 1; cut < raw.length; cut++) {
        byte[] prefix = Arrays.copyOf(raw, cut);
        Throwable thrown = catchThrowable(() -> decoder.decode(prefix));
        if (fieldBoundaries.contains(cut)) {
          // A cut between fields is well-formed protobuf: it is valid unless validation finds
          // something missing (a string table entry, a location), as for go tool pprof.
          assertThat(thrown).as("cut at %d", cut).satisfiesAnyOf(
              t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(PprofFormatException.class));
        } else {
          assertThat(thrown).as("cut at %d", cut).isInstanceOf(PprofFormatException.class)
              .hasMessageContaining("truncated")
              .hasMessageMatching("(?s).*\\(in [a-z_]+( #\\d+)?, at byte \\d+ of the decompressed profile\\).*");
        }
      }
    });
  }

  @Test
  void everyTruncationOfTheGzipStreamIsRejected() {
    byte[] gz = Fixtures.bytes(Fixtures.GOROUTINES);

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (int cut = 2; cut < gz.length; cut++) {
        int at = cut;
        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(gz, at)))
            .as("cut at %d", cut).isInstanceOf(PprofFormatException.class);
      }
    });
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButAFormatError() {
    Random random = new Random(42);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (int i = 0; i < 5_000; i++) {
        byte[] junk = new byte[1 + random.nextInt(i < 4_000 ? 64 : 4096)];
        random.nextBytes(junk);
        Throwable raw = catchThrowable(() -> decoder.decode(junk));
        Throwable gz = catchThrowable(() -> decoder.decode(gzip(junk)));
        // Rarely, a few random bytes are a valid (almost empty) profile; they must never be anything else.
        assertThat(raw).as("input %s", Arrays.toString(junk)).satisfiesAnyOf(
            t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(PprofFormatException.class));
        assertThat(gz).satisfiesAnyOf(
            t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(PprofFormatException.class));
      }
    });
  }

  @Test
  void flippedBitsInARealProfileNeverEscapeAsAnythingButAFormatError() {
    byte[] raw = uncompressed(Fixtures.decode(Fixtures.CPU));
    byte[] gz = Fixtures.bytes(Fixtures.CPU);
    Random random = new Random(7);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (int i = 0; i < 3_000; i++) {
        byte[] damaged = (i % 2 == 0 ? raw : gz).clone();
        damaged[2 + random.nextInt(damaged.length - 2)] ^= (byte) (1 << random.nextInt(8));
        Throwable thrown = catchThrowable(() -> decoder.decode(damaged));
        assertThat(thrown).satisfiesAnyOf(
            t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(PprofFormatException.class));
      }
    });
  }

  @Test
  void aGzipBombStopsAtTheDecompressedLimit() {
    byte[] bomb = skippableBomb(64L << 20);
    PprofDecoder small = new PprofDecoder(PprofLimits.defaults().withMaxDecompressedBytes(4L << 20));

    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      assertThatThrownBy(() -> small.decode(bomb))
          .isInstanceOf(PprofFormatException.class)
          .hasMessageContaining("larger than 4194304 bytes once decompressed")
          .hasMessageContaining("PprofLimits.maxDecompressedBytes");
      assertThatThrownBy(() -> small.decode(new ByteArrayInputStream(bomb)))
          .isInstanceOf(PprofFormatException.class)
          .hasMessageContaining("PprofLimits.maxDecompressedBytes");
    });
  }

  @Test
  void aGzipBombPastTheDefaultLimitIsRefusedWithoutHoldingItInMemory() {
    byte[] bomb = skippableBomb(300L << 20);
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    long allocated = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
      long before = threads.getCurrentThreadAllocatedBytes();
      assertThatThrownBy(() -> decoder.decode(bomb))
          .isInstanceOf(PprofFormatException.class)
          .hasMessageContaining("larger than " + (256L << 20) + " bytes");
      return threads.getCurrentThreadAllocatedBytes() - before;
    });
    // The 256 MiB were streamed through the parser, never buffered.
    assertThat(allocated).isLessThan(8L << 20);
  }

  @Test
  void aBombOfSamplesStopsAtTheSampleLimit() {
    // A sample of zero bytes costs two bytes on the wire but a column slot in memory.
    byte[] emptySample = {0x12, 0x00};
    byte[] many = new byte[2 * 1_000_001];
    for (int i = 0; i < many.length; i += 2) {
      System.arraycopy(emptySample, 0, many, i, 2);
    }
    PprofDecoder limited = new PprofDecoder(PprofLimits.defaults().withMaxSamples(1_000_000));

    assertThatThrownBy(() -> limited.decode(gzip(many)))
        .isInstanceOf(PprofFormatException.class)
        .hasMessageContaining("more than 1000000 sample entries (PprofLimits.maxSamples)");
  }

  @Test
  void limitsOnStringsAndStacksAreEnforced() {
    PprofLimits tight = new PprofLimits(1L << 20, 100, 1000, 3, 2, 4, 100, 2, 100, 10, 100, 16, 10);
    PprofDecoder decoder = new PprofDecoder(tight);
    byte[] longString = message(out -> out.writeString(6, "x".repeat(17)));
    byte[] deepStack = message(out -> out.writeByteArray(2, message(s -> {
      s.writeUInt64(1, 1);
      s.writeUInt64(1, 2);
      s.writeUInt64(1, 3);
      s.writeUInt64(1, 4);
    })));
    byte[] manyLabels = message(out -> out.writeByteArray(2, message(s -> {
      for (int i = 0; i < 3; i++) {
        s.writeByteArray(3, message(l -> l.writeInt64(1, 1)));
      }
    })));

    byte[] manyLines = message(out -> out.writeByteArray(4, message(l -> {
      l.writeUInt64(1, 1);
      for (int i = 0; i < 3; i++) {
        l.writeByteArray(4, new byte[0]);
      }
    })));

    assertThatThrownBy(() -> decoder.decode(manyLines)).hasMessageContaining("more than 2 lines in all locations (PprofLimits.maxLines)")
        .hasMessageContaining("in location #0");
    assertThatThrownBy(() -> decoder.decode(longString)).hasMessageContaining("more than 16 (PprofLimits.maxStringLength)");
    assertThatThrownBy(() -> decoder.decode(deepStack)).hasMessageContaining("PprofLimits.maxStackDepth")
        .hasMessageContaining("in sample #0");
    assertThatThrownBy(() -> decoder.decode(manyLabels)).hasMessageContaining("PprofLimits.maxLabelsPerSample");
  }

  @Test
  void inconsistentProfilesAreRejectedAsGoToolPprofWould() {
    ProfileBuilder b = ProfileBuilder.goroutines().goroutine(1, Map.of("k", "v"), "main.f", "main.g");
    PprofProfile good = b.build();
    byte[] goodBytes = uncompressed(good);
    assertThat(decoder.decode(goodBytes)).isEqualTo(good);

    assertRejected(withSample(good, new long[] {99}, new long[] {1}, List.of()),
        "sample #1 refers to location 99, which the profile does not define");
    assertRejected(withSample(good, new long[] {1}, new long[] {1, 2}, List.of()),
        "sample #1 has 2 values but the profile has 1 sample types");
    assertRejected(withSample(good, new long[] {1}, new long[] {1}, List.of(Label.string(1, 500))),
        "sample #1 label #0 str refers to string 500 but the string table has");
    assertRejected(message(out -> {
      out.write(goodBytes, 0, goodBytes.length);
      out.writeByteArray(4, message(l -> l.writeUInt64(1, 1)));
    }), "two locations have the id 1");
    assertRejected(message(out -> {
      out.write(goodBytes, 0, goodBytes.length);
      out.writeByteArray(4, message(l -> l.writeUInt64(2, 1)));
    }), "location #2 has the reserved id 0");
    assertRejected(message(out -> {
      out.write(goodBytes, 0, goodBytes.length);
      out.writeByteArray(4, message(l -> {
        l.writeUInt64(1, 77);
        l.writeByteArray(4, message(line -> line.writeUInt64(1, 55)));
      }));
    }), "location 77 has a line in function 55, which the profile does not define");
    assertRejected(message(out -> {
      out.writeString(6, "not empty");
      out.writeString(6, "");
    }), "string_table[0] must be the empty string");
    assertRejected(message(out -> {
      out.writeString(6, "");
      out.writeInt64(7, -3);
    }), "drop_frames refers to string -3");
    assertRejected(message(out -> out.writeByteArray(2, message(s -> s.writeUInt64(2, 1)))),
        "the profile has samples but no sample_type");
  }

  @Test
  void wireLevelDamageIsNamedPrecisely() {
    assertRejected(message(out -> out.writeInt64(2, 5)), "wire type 0 where profile.proto has 2 (in sample #0");
    assertRejected(message(out -> out.writeByteArray(9, new byte[] {1})), "wire type 2 where profile.proto has 0 (in time_nanos");
    assertRejected(new byte[] {0x00}, "invalid tag");
    assertRejected(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, "malformed varint");
    assertRejected(message(out -> out.writeTag(200, 4)), "end-group tag");
    assertRejected(message(out -> out.writeTag(200, 7)), "invalid wire type");
    assertRejected(message(out -> out.writeByteArray(2, message(s -> s.writeByteArray(3, new byte[] {0x08})))),
        "truncated");
  }

  @Test
  void unknownFieldsAreSkippedAsProtobufRequires() {
    PprofProfile good = ProfileBuilder.goroutines().goroutine(2, Map.of(), "main.f").build();
    byte[] goodBytes = uncompressed(good);

    byte[] withExtras = message(out -> {
      out.writeString(100, "from a newer profile.proto");
      out.write(goodBytes, 0, goodBytes.length);
      out.writeFixed64(101, 7);
      out.writeTag(102, 3);
      out.writeInt64(1, 1);
      out.writeTag(102, 4);
    });

    assertThat(decoder.decode(withExtras)).isEqualTo(good);
  }

  @Test
  void unpackedRepeatedNumbersAreReadLikePackedOnes() {
    PprofProfile packed = ProfileBuilder.goroutines().goroutine(3, Map.of(), "main.f", "main.g").build();
    byte[] packedBytes = uncompressed(packed);
    byte[] unpacked = message(out -> {
      CodedInputStream in = CodedInputStream.newInstance(packedBytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == (2 << 3 | 2)) {
          in.readByteArray();
          out.writeByteArray(2, message(s -> {
            s.writeUInt64(1, 1);
            s.writeUInt64(1, 2);
            s.writeInt64(2, 3);
          }));
        } else {
          in.skipField(tag, out);
        }
      }
    });

    assertThat(decoder.decode(unpacked)).isEqualTo(packed);
  }

  private void assertRejected(byte[] input, String message) {
    assertThatThrownBy(() -> decoder.decode(input))
        .isInstanceOf(PprofFormatException.class).hasMessageContaining(message);
    assertThatThrownBy(() -> decoder.decode(gzip(input)))
        .isInstanceOf(PprofFormatException.class).hasMessageContaining(message);
  }

  private static byte[] withSample(PprofProfile p, long[] locations, long[] values, List<Label> labels) {
    byte[] base = uncompressed(p);
    return message(out -> {
      out.write(base, 0, base.length);
      Samples extra = Samples.builder().add(locations, values, labels).build();
      PprofProfile only = new PprofProfile(List.of(), extra, List.of(), List.of(), List.of(),
          StringTable.of(List.of()), 0, 0, 0, 0, PprofProfile.ValueType.NONE, 0, List.of(), 0, 0);
      // Re-encode just the sample: the string table entry "" it adds is harmless duplication.
      byte[] sampleOnly = uncompressed(only);
      CodedInputStream in = CodedInputStream.newInstance(sampleOnly);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == (2 << 3 | 2)) {
          out.writeByteArray(2, in.readByteArray());
        } else {
          in.skipField(tag);
        }
      }
    });
  }

  /** Where each top-level field of {@code raw} ends. */
  private static Set<Integer> topLevelFieldBoundaries(byte[] raw) {
    Set<Integer> ends = new HashSet<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(raw);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        in.skipField(tag);
        ends.add(in.getTotalBytesRead());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ends;
  }

  /** Field 100 (unknown) repeated: every decoder must skip it, so only the byte limit stops it. */
  private static byte[] skippableBomb(long decompressedBytes) {
    byte[] chunk = new byte[3 * 350_000];
    for (int i = 0; i < chunk.length; i += 3) {
      chunk[i] = (byte) 0xa0;
      chunk[i + 1] = 0x06;
      chunk[i + 2] = 0x00;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 1 << 16) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      for (long written = 0; written < decompressedBytes; written += chunk.length) {
        gz.write(chunk);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] uncompressed(PprofProfile p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PprofEncoder.writeUncompressed(p, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] message(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writer.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
