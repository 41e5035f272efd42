package dev.gopherscope.sidecar.pprof;

/**
 * Upper bounds that {@link PprofDecoder} enforces while it reads, so that a hostile or broken
 * profile fails with a {@link PprofFormatException} instead of exhausting the sidecar's heap. The
 * sidecar shares the target pod's memory limit (DESIGN.md, invariant 5), so every count that would
 * make the decoder allocate in proportion to the input is capped, not only the input size: a
 * 256 MiB profile of one-byte location ids would otherwise expand eightfold in {@code long[]}s.
 *
 * @param maxDecompressedBytes bytes of protobuf after gunzip (or of the raw input when not gzip'd)
 * @param maxSamples samples in the profile
 * @param maxSampleReferences location ids plus labels summed over all samples
 * @param maxStackDepth location ids in one sample
 * @param maxLabelsPerSample labels on one sample
 * @param maxSampleTypes sample types, which is also the number of values per sample
 * @param maxLocations locations
 * @param maxLines lines in all locations (a location has several where calls were inlined)
 * @param maxFunctions functions
 * @param maxMappings mappings
 * @param maxStrings entries in the string table
 * @param maxStringLength bytes in one string table entry
 * @param maxComments comments
 */
public record PprofLimits(
    long maxDecompressedBytes,
    int maxSamples,
    int maxSampleReferences,
    int maxStackDepth,
    int maxLabelsPerSample,
    int maxSampleTypes,
    int maxLocations,
    int maxLines,
    int maxFunctions,
    int maxMappings,
    int maxStrings,
    int maxStringLength,
    int maxComments) {

  private static final long MIB = 1024L * 1024L;

  public PprofLimits {
    requirePositive("maxDecompressedBytes", maxDecompressedBytes);
    if (maxDecompressedBytes > Integer.MAX_VALUE) {
      // protobuf-java counts the bytes it has read in an int.
      throw new IllegalArgumentException("maxDecompressedBytes must be below 2 GiB, got " + maxDecompressedBytes);
    }
    requirePositive("maxSamples", maxSamples);
    requirePositive("maxSampleReferences", maxSampleReferences);
    requirePositive("maxStackDepth", maxStackDepth);
    requirePositive("maxLabelsPerSample", maxLabelsPerSample);
    requirePositive("maxSampleTypes", maxSampleTypes);
    requirePositive("maxLocations", maxLocations);
    requirePositive("maxLines", maxLines);
    requirePositive("maxFunctions", maxFunctions);
    requirePositive("maxMappings", maxMappings);
    requirePositive("maxStrings", maxStrings);
    requirePositive("maxStringLength", maxStringLength);
    requirePositive("maxComments", maxComments);
  }

  /**
   * Room for the goroutine profile of a process with a few hundred thousand goroutines, each with
   * its own trace labels (100,000 such goroutines decode to about 36 MiB). The worst case any
   * input can force is roughly its string bytes (at most {@code maxDecompressedBytes}), plus 20
   * bytes per sample reference and about 50 per location, line and function; a sidecar in a small
   * pod should pass tighter limits.
   */
  public static PprofLimits defaults() {
    return new PprofLimits(256 * MIB, 2_000_000, 8_000_000, 4096, 256, 64,
        1_000_000, 2_000_000, 1_000_000, 100_000, 4_000_000, (int) MIB, 10_000);
  }

  public PprofLimits withMaxDecompressedBytes(long bytes) {
    return new PprofLimits(bytes, maxSamples, maxSampleReferences, maxStackDepth, maxLabelsPerSample,
        maxSampleTypes, maxLocations, maxLines, maxFunctions, maxMappings, maxStrings,
        maxStringLength, maxComments);
  }

  public PprofLimits withMaxSamples(int samples) {
    return new PprofLimits(maxDecompressedBytes, samples, maxSampleReferences, maxStackDepth,
        maxLabelsPerSample, maxSampleTypes, maxLocations, maxLines, maxFunctions,
        maxMappings, maxStrings, maxStringLength, maxComments);
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
