package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer over real profiles (issue 8, bad input): bit flips, truncations,
 * duplicated and random spans, inside and outside gzip. Every input must end in a decoded profile
 * (that then filters, groups and re-encodes) or a {@link PprofFormatException}: no other exception,
 * no input slower than a bound, and tight limits keep memory bounded.
 */
class PprofFuzzTest {

  private static final int INPUTS = Integer.getInteger("gopherscope.fuzzInputs", 4000);
  private static final long SLOWEST_ALLOWED_MS = 2_000;

  @Test
  void mutatedProfilesDecodeOrFailCleanly() throws IOException {
    byte[][] seeds = {
        gunzip(Fixtures.bytes(Fixtures.GOROUTINES)), gunzip(Fixtures.bytes(Fixtures.CPU))};
    PprofLimits limits = PprofLimits.defaults().withMaxDecompressedBytes(8L * 1024 * 1024).withMaxSamples(50_000);
    PprofDecoder decoder = new PprofDecoder(limits);
    Random random = new Random(20261126);
    int decoded = 0;
    int refused = 0;
    long slowest = 0;
    for (int i = 0; i < INPUTS; i++) {
      byte[] input = mutate(seeds[i % seeds.length], random);
      if (random.nextInt(4) == 0) {
        input = gzip(input);
      }
      long start = System.nanoTime();
      try {
        PprofProfile profile = decoder.decode(input);
        // What the sidecar does next must not trip over whatever the decoder accepted.
        PprofProfile kept = new SampleFilter(LabelMatcher.any().withKey("trace_id")).apply(profile);
        StackGroups.of(kept, StackGroupOptions.defaults());
        PprofEncoder.encode(kept);
        decoded++;
      } catch (PprofFormatException e) {
        assertThat(e.getMessage()).isNotBlank();
        refused++;
      } catch (RuntimeException | StackOverflowError e) {
        fail("input " + i + " broke the pipeline with " + e + " instead of a PprofFormatException", e);
      }
      slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
    }
    System.out.printf("fuzzed %d inputs: %d decoded, %d refused cleanly, slowest %d ms%n", INPUTS, decoded, refused,
        slowest);
    assertThat(slowest).as("slowest input (ms)").isLessThan(SLOWEST_ALLOWED_MS);
    assertThat(decoded + refused).isEqualTo(INPUTS);
    assertThat(refused).as("mutations the decoder must notice").isPositive();
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] out = Arrays.copyOf(seed, seed.length);
    int edits = 1 + random.nextInt(8);
    for (int e = 0; e < edits; e++) {
      switch (random.nextInt(5)) {
        case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        case 1 -> out = Arrays.copyOf(out, Math.max(1, random.nextInt(out.length)));
        case 2 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        case 3 -> {
          int from = random.nextInt(out.length);
          int length = Math.min(out.length - from, 1 + random.nextInt(64));
          byte[] grown = Arrays.copyOf(out, out.length + length);
          System.arraycopy(out, from, grown, out.length, length);
          out = grown;
        }
        default -> {
          // Varints with every continuation bit set: the classic length-field attack.
          int at = random.nextInt(out.length);
          for (int k = at; k < Math.min(out.length, at + 10); k++) {
            out[k] = (byte) 0xff;
          }
        }
      }
    }
    return out;
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  private static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
