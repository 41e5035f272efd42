package dev.gopherscope.sidecar.pprof;

import java.util.List;
import java.util.Objects;

/**
 * A decoded pprof profile ({@code perftools.profiles.Profile} of google/pprof's profile.proto),
 * kept close to the wire: every field the format has, references by id, strings by index into
 * {@link #strings()}. Staying close to the wire is what lets a filtered profile be written back
 * without loss and lets a filter compare integers instead of strings; {@link #string(int)}
 * resolves an index when a person needs the text.
 *
 * <p>Field names follow profile.proto. {@code dropFrames}, {@code keepFrames},
 * {@code defaultSampleType}, {@code docUrl} and {@code comments} are string indexes; an absent
 * {@code periodType} is {@link ValueType#NONE}.
 */
public record PprofProfile(
    List<ValueType> sampleTypes,
    Samples samples,
    List<Mapping> mappings,
    List<Location> locations,
    List<Function> functions,
    StringTable strings,
    int dropFrames,
    int keepFrames,
    long timeNanos,
    long durationNanos,
    ValueType periodType,
    long period,
    List<Integer> comments,
    int defaultSampleType,
    int docUrl) {

  public PprofProfile {
    sampleTypes = List.copyOf(sampleTypes);
    Objects.requireNonNull(samples, "samples");
    mappings = List.copyOf(mappings);
    locations = List.copyOf(locations);
    functions = List.copyOf(functions);
    Objects.requireNonNull(strings, "strings");
    Objects.requireNonNull(periodType, "periodType");
    comments = List.copyOf(comments);
  }

  public String string(int index) {
    return strings.get(index);
  }

  /** The sum over all samples of value {@code valueIndex}, e.g. the goroutine count of a goroutine profile. */
  public long total(int valueIndex) {
    long total = 0;
    for (int s = 0; s < samples.size(); s++) {
      total += samples.value(s, valueIndex);
    }
    return total;
  }

  /** What each of a sample's values measures, e.g. {@code goroutine/count} or {@code cpu/nanoseconds}. */
  public record ValueType(int type, int unit) {
    public static final ValueType NONE = new ValueType(0, 0);

    /** Whether this is {@link #NONE}; unlike {@code equals}, no record bootstrap on a cold JVM. */
    public boolean isNone() {
      return type == 0 && unit == 0;
    }
  }

  /**
   * A sample label: a string label when {@code str != 0}, otherwise a numeric one with an optional
   * unit, exactly as pprof reads them.
   */
  public record Label(int key, int str, long num, int numUnit) {
    public static Label string(int key, int str) {
      return new Label(key, str, 0, 0);
    }
  }

  public record Mapping(long id, long memoryStart, long memoryLimit, long fileOffset, int filename,
      int buildId, boolean hasFunctions, boolean hasFilenames, boolean hasLineNumbers,
      boolean hasInlineFrames) implements IdIndex.Identified {
  }

  /**
   * A program counter with the source lines it stands for. With inlining one address maps to
   * several lines: {@code lines.get(0)} is the innermost (inlined) function and the last entry
   * the function it was inlined into, as in profile.proto.
   */
  public record Location(long id, long mappingId, long address, List<Line> lines, boolean isFolded)
      implements IdIndex.Identified {
    public Location {
      lines = List.copyOf(lines);
    }
  }

  public record Line(long functionId, long line, long column) {
  }

  public record Function(long id, int name, int systemName, int filename, long startLine)
      implements IdIndex.Identified {
  }
}
