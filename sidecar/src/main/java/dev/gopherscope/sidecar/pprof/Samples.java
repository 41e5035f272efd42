package dev.gopherscope.sidecar.pprof;

import dev.gopherscope.sidecar.pprof.PprofProfile.Label;
import java.util.Arrays;
import java.util.List;

/**
 * A profile's samples, stored by column: every sample's location ids in one {@code long[]}, values
 * in another, labels in four parallel arrays, each with per-sample start offsets. A goroutine
 * profile of a large service has hundreds of thousands of samples; as objects they would cost
 * several times the memory and most of the decoding time, and the sidecar lives inside the
 * target pod's memory limit. Read a sample through the indexed accessors; nothing here allocates.
 *
 * <p>Label fields are as on the wire: {@code key}, {@code str} and {@code numUnit} index the
 * profile's {@link StringTable}; {@code str == 0} marks a numeric label, as in pprof.
 */
public final class Samples {

  private final int size;
  private final int[] locationStart;
  private final long[] locationIds;
  private final int[] valueStart;
  private final long[] values;
  private final int[] labelStart;
  private final int[] labelKeys;
  private final int[] labelStrs;
  private final long[] labelNums;
  private final int[] labelUnits;

  private Samples(int size, int[] locationStart, long[] locationIds, int[] valueStart, long[] values,
      int[] labelStart, int[] labelKeys, int[] labelStrs, long[] labelNums, int[] labelUnits) {
    this.size = size;
    this.locationStart = locationStart;
    this.locationIds = locationIds;
    this.valueStart = valueStart;
    this.values = values;
    this.labelStart = labelStart;
    this.labelKeys = labelKeys;
    this.labelStrs = labelStrs;
    this.labelNums = labelNums;
    this.labelUnits = labelUnits;
  }

  public static Builder builder() {
    return new Builder(16);
  }

  public int size() {
    return size;
  }

  /** The depth of sample {@code s}'s stack. */
  public int locationCount(int s) {
    return locationStart[s + 1] - locationStart[s];
  }

  /** The location id at {@code depth} of sample {@code s}'s stack; depth 0 is the leaf (top frame). */
  public long locationId(int s, int depth) {
    return locationIds[locationStart[s] + depth];
  }

  public long[] locationIds(int s) {
    return Arrays.copyOfRange(locationIds, locationStart[s], locationStart[s + 1]);
  }

  public int valueCount(int s) {
    return valueStart[s + 1] - valueStart[s];
  }

  public long value(int s, int index) {
    return values[valueStart[s] + index];
  }

  public int labelCount(int s) {
    return labelStart[s + 1] - labelStart[s];
  }

  public int labelKey(int s, int j) {
    return labelKeys[labelStart[s] + j];
  }

  public int labelStr(int s, int j) {
    return labelStrs[labelStart[s] + j];
  }

  public long labelNum(int s, int j) {
    return labelNums[labelStart[s] + j];
  }

  public int labelNumUnit(int s, int j) {
    return labelUnits[labelStart[s] + j];
  }

  public Label label(int s, int j) {
    int at = labelStart[s] + j;
    return new Label(labelKeys[at], labelStrs[at], labelNums[at], labelUnits[at]);
  }

  /** The samples at {@code indexes}, in that order. */
  Samples select(int[] indexes) {
    int locations = 0;
    int valueTotal = 0;
    int labels = 0;
    for (int s : indexes) {
      locations += locationCount(s);
      valueTotal += valueCount(s);
      labels += labelCount(s);
    }
    Builder builder = new Builder(indexes.length, locations, valueTotal, labels);
    for (int s : indexes) {
      builder.copyFrom(this, s);
    }
    return builder.build();
  }

  /** These samples with every label string index {@code i} replaced by {@code newIndex[i]}. */
  Samples remapStrings(int[] newIndex) {
    int labels = labelStart[size];
    int[] keys = new int[labels];
    int[] strs = new int[labels];
    int[] units = new int[labels];
    for (int i = 0; i < labels; i++) {
      keys[i] = newIndex[labelKeys[i]];
      strs[i] = newIndex[labelStrs[i]];
      units[i] = newIndex[labelUnits[i]];
    }
    return new Samples(size, locationStart, locationIds, valueStart, values, labelStart, keys, strs,
        Arrays.copyOf(labelNums, labels), units);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Samples other) || other.size != size) {
      return false;
    }
    return Arrays.equals(locationStart, 0, size + 1, other.locationStart, 0, size + 1)
        && Arrays.equals(valueStart, 0, size + 1, other.valueStart, 0, size + 1)
        && Arrays.equals(labelStart, 0, size + 1, other.labelStart, 0, size + 1)
        && Arrays.equals(locationIds, 0, locationStart[size], other.locationIds, 0, locationStart[size])
        && Arrays.equals(values, 0, valueStart[size], other.values, 0, valueStart[size])
        && Arrays.equals(labelKeys, 0, labelStart[size], other.labelKeys, 0, labelStart[size])
        && Arrays.equals(labelStrs, 0, labelStart[size], other.labelStrs, 0, labelStart[size])
        && Arrays.equals(labelNums, 0, labelStart[size], other.labelNums, 0, labelStart[size])
        && Arrays.equals(labelUnits, 0, labelStart[size], other.labelUnits, 0, labelStart[size]);
  }

  @Override
  public int hashCode() {
    int hash = size;
    for (int i = 0; i < locationStart[size]; i++) {
      hash = 31 * hash + Long.hashCode(locationIds[i]);
    }
    for (int i = 0; i < valueStart[size]; i++) {
      hash = 31 * hash + Long.hashCode(values[i]);
    }
    for (int i = 0; i < labelStart[size]; i++) {
      hash = 31 * hash + labelKeys[i] * 17 + labelStrs[i];
    }
    return hash;
  }

  @Override
  public String toString() {
    return "Samples[" + size + " samples, " + locationStart[size] + " location refs, "
        + labelStart[size] + " labels]";
  }

  /**
   * Appends samples. {@link #add} takes a whole sample; the decoder instead appends each field as
   * it meets it on the wire (a sample's fields may come in any order and packed fields in several
   * chunks) and closes the sample with {@link #endSample}.
   */
  public static final class Builder {
    private int size;
    private int[] locationStart;
    private long[] locationIds;
    private int locationCount;
    private int[] valueStart;
    private long[] values;
    private int valueCount;
    private int[] labelStart;
    private int[] labelKeys;
    private int[] labelStrs;
    private long[] labelNums;
    private int[] labelUnits;
    private int labelCount;

    Builder(int expectedSamples) {
      this(expectedSamples, expectedSamples * 8, expectedSamples, expectedSamples);
    }

    Builder(int samples, int locations, int valueTotal, int labels) {
      locationStart = new int[samples + 2];
      valueStart = new int[samples + 2];
      labelStart = new int[samples + 2];
      locationIds = new long[locations];
      values = new long[valueTotal];
      labelKeys = new int[labels];
      labelStrs = new int[labels];
      labelNums = new long[labels];
      labelUnits = new int[labels];
    }

    public Builder add(long[] sampleLocationIds, long[] sampleValues, List<Label> labels) {
      for (long id : sampleLocationIds) {
        addLocationId(id);
      }
      for (long v : sampleValues) {
        addValue(v);
      }
      for (Label label : labels) {
        addLabel(label.key(), label.str(), label.num(), label.numUnit());
      }
      endSample();
      return this;
    }

    public Samples build() {
      return new Samples(size, locationStart, locationIds, valueStart, values, labelStart, labelKeys,
          labelStrs, labelNums, labelUnits);
    }

    int size() {
      return size;
    }

    /** Location ids and labels appended so far, the measure {@link PprofLimits#maxSampleReferences()} bounds. */
    long references() {
      return (long) locationCount + labelCount;
    }

    /** Location ids of the sample being built. */
    int openLocationCount() {
      return locationCount - locationStart[size];
    }

    int openValueCount() {
      return valueCount - valueStart[size];
    }

    int openLabelCount() {
      return labelCount - labelStart[size];
    }

    void addLocationId(long id) {
      if (locationCount == locationIds.length) {
        locationIds = Arrays.copyOf(locationIds, grow(locationIds.length));
      }
      locationIds[locationCount++] = id;
    }

    void addValue(long value) {
      if (valueCount == values.length) {
        values = Arrays.copyOf(values, grow(values.length));
      }
      values[valueCount++] = value;
    }

    void addLabel(int key, int str, long num, int numUnit) {
      if (labelCount == labelKeys.length) {
        int n = grow(labelKeys.length);
        labelKeys = Arrays.copyOf(labelKeys, n);
        labelStrs = Arrays.copyOf(labelStrs, n);
        labelNums = Arrays.copyOf(labelNums, n);
        labelUnits = Arrays.copyOf(labelUnits, n);
      }
      labelKeys[labelCount] = key;
      labelStrs[labelCount] = str;
      labelNums[labelCount] = num;
      labelUnits[labelCount] = numUnit;
      labelCount++;
    }

    void endSample() {
      if (size + 2 > locationStart.length) {
        int n = grow(locationStart.length);
        locationStart = Arrays.copyOf(locationStart, n);
        valueStart = Arrays.copyOf(valueStart, n);
        labelStart = Arrays.copyOf(labelStart, n);
      }
      size++;
      locationStart[size] = locationCount;
      valueStart[size] = valueCount;
      labelStart[size] = labelCount;
    }

    void copyFrom(Samples from, int s) {
      for (int i = from.locationStart[s]; i < from.locationStart[s + 1]; i++) {
        addLocationId(from.locationIds[i]);
      }
      for (int i = from.valueStart[s]; i < from.valueStart[s + 1]; i++) {
        addValue(from.values[i]);
      }
      for (int i = from.labelStart[s]; i < from.labelStart[s + 1]; i++) {
        addLabel(from.labelKeys[i], from.labelStrs[i], from.labelNums[i], from.labelUnits[i]);
      }
      endSample();
    }

    private static int grow(int length) {
      // 1.5x keeps the peak of a copy (old + new array) lower than doubling would.
      return Math.max(8, length + (length >> 1));
    }
  }
}
