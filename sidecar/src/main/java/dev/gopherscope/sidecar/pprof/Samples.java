package dev.gopherscope.sidecar.pprof;

import dev.gopherscope.sidecar.pprof.PprofProfile.Label;
import java.util.Arrays;
import java.util.List;

/**
 * A profile's samples, stored by column: every sample's location ids in one array, values
 * in another, labels in four parallel arrays, each with per-sample start offsets. A goroutine
 * profile of a large service has hundreds of thousands of samples; as objects they would cost
 * several times the memory and most of the decoding time, and the sidecar lives inside the
 * target pod's memory limit. Read a sample through the indexed accessors; nothing here allocates.
 *
 * <p>Label fields are as on the wire: {@code key}, {@code str} and {@code numUnit} index the
 * profile's {@link StringTable}; {@code str == 0} marks a numeric label, as in pprof. The numeric
 * columns ({@code num}, {@code numUnit}) exist only once a label has a non-zero one: goroutine and
 * CPU profiles carry string labels alone, and with per-request labels those two columns would be
 * a third of the samples' memory (the sidecar has a 48 MiB heap).
 */
public final class Samples {

  private final int size;
  private final int[] locationStart;
  // Location ids as unsigned 32-bit numbers (writers number them 1..n, so they fit), or as longs
  // once one does not: half the memory of the deepest column of a goroutine profile.
  private final int[] narrowIds;
  private final long[] wideIds;
  private final int[] valueStart;
  private final long[] values;
  private final int[] labelStart;
  private final int[] labelKeys;
  private final int[] labelStrs;
  private final long[] labelNums; // null: every num is 0
  private final int[] labelUnits; // null: every num_unit is 0

  private Samples(int size, int[] locationStart, int[] narrowIds, long[] wideIds, int[] valueStart, long[] values,
      int[] labelStart, int[] labelKeys, int[] labelStrs, long[] labelNums, int[] labelUnits) {
    this.size = size;
    this.locationStart = locationStart;
    this.narrowIds = narrowIds;
    this.wideIds = wideIds;
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
    return id(narrowIds, wideIds, locationStart[s] + depth);
  }

  public long[] locationIds(int s) {
    long[] ids = new long[locationCount(s)];
    for (int d = 0; d < ids.length; d++) {
      ids[d] = locationId(s, d);
    }
    return ids;
  }

  private static long id(int[] narrow, long[] wide, int at) {
    return wide != null ? wide[at] : Integer.toUnsignedLong(narrow[at]);
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
    return labelNums == null ? 0 : labelNums[labelStart[s] + j];
  }

  public int labelNumUnit(int s, int j) {
    return labelUnits == null ? 0 : labelUnits[labelStart[s] + j];
  }

  public Label label(int s, int j) {
    return new Label(labelKey(s, j), labelStr(s, j), labelNum(s, j), labelNumUnit(s, j));
  }

  /**
   * The samples at {@code indexes}, in that order, with every label string index {@code i}
   * replaced by {@code newStringIndex[i]}: selecting and renumbering in one copy keeps a filtered
   * profile's peak memory at one copy of what it keeps.
   */
  Samples select(int[] indexes, int[] newStringIndex) {
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
      builder.copyFrom(this, s, newStringIndex);
    }
    return builder.build();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Samples other) || other.size != size) {
      return false;
    }
    return Arrays.equals(locationStart, 0, size + 1, other.locationStart, 0, size + 1)
        && Arrays.equals(valueStart, 0, size + 1, other.valueStart, 0, size + 1)
        && Arrays.equals(labelStart, 0, size + 1, other.labelStart, 0, size + 1)
        && sameLocationIds(other)
        && Arrays.equals(values, 0, valueStart[size], other.values, 0, valueStart[size])
        && Arrays.equals(labelKeys, 0, labelStart[size], other.labelKeys, 0, labelStart[size])
        && Arrays.equals(labelStrs, 0, labelStart[size], other.labelStrs, 0, labelStart[size])
        && sameNumericLabels(other);
  }

  private boolean sameLocationIds(Samples other) {
    for (int i = 0; i < locationStart[size]; i++) {
      if (id(narrowIds, wideIds, i) != id(other.narrowIds, other.wideIds, i)) {
        return false;
      }
    }
    return true;
  }

  private boolean sameNumericLabels(Samples other) {
    for (int i = 0; i < labelStart[size]; i++) {
      if (num(labelNums, i) != num(other.labelNums, i) || unit(labelUnits, i) != unit(other.labelUnits, i)) {
        return false;
      }
    }
    return true;
  }

  private static long num(long[] column, int i) {
    return column == null ? 0 : column[i];
  }

  private static int unit(int[] column, int i) {
    return column == null ? 0 : column[i];
  }

  @Override
  public int hashCode() {
    int hash = size;
    for (int i = 0; i < locationStart[size]; i++) {
      hash = 31 * hash + Long.hashCode(id(narrowIds, wideIds, i));
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
    private int[] narrowIds;
    private long[] wideIds; // null while every id fits in 32 bits
    private int locationCount;
    private int[] valueStart;
    private long[] values;
    private int valueCount;
    private int[] labelStart;
    private int[] labelKeys;
    private int[] labelStrs;
    private long[] labelNums; // allocated at the first non-zero num
    private int[] labelUnits; // allocated at the first non-zero num_unit
    private int labelCount;

    Builder(int expectedSamples) {
      this(expectedSamples, expectedSamples * 8, expectedSamples, expectedSamples);
    }

    Builder(int samples, int locations, int valueTotal, int labels) {
      locationStart = new int[samples + 2];
      valueStart = new int[samples + 2];
      labelStart = new int[samples + 2];
      narrowIds = new int[locations];
      values = new long[valueTotal];
      labelKeys = new int[labels];
      labelStrs = new int[labels];
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
      return new Samples(size, locationStart, narrowIds, wideIds, valueStart, values, labelStart, labelKeys,
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
      if (wideIds == null && (id >>> 32) != 0) {
        wideIds = new long[narrowIds.length];
        for (int i = 0; i < locationCount; i++) {
          wideIds[i] = Integer.toUnsignedLong(narrowIds[i]);
        }
        narrowIds = null;
      }
      if (wideIds != null) {
        if (locationCount == wideIds.length) {
          wideIds = Arrays.copyOf(wideIds, grow(wideIds.length));
        }
        wideIds[locationCount++] = id;
      } else {
        if (locationCount == narrowIds.length) {
          narrowIds = Arrays.copyOf(narrowIds, grow(narrowIds.length));
        }
        narrowIds[locationCount++] = (int) id;
      }
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
        labelNums = labelNums == null ? null : Arrays.copyOf(labelNums, n);
        labelUnits = labelUnits == null ? null : Arrays.copyOf(labelUnits, n);
      }
      labelKeys[labelCount] = key;
      labelStrs[labelCount] = str;
      if (num != 0) {
        if (labelNums == null) {
          labelNums = new long[labelKeys.length];
        }
        labelNums[labelCount] = num;
      }
      if (numUnit != 0) {
        if (labelUnits == null) {
          labelUnits = new int[labelKeys.length];
        }
        labelUnits[labelCount] = numUnit;
      }
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

    void copyFrom(Samples from, int s, int[] newStringIndex) {
      for (int i = from.locationStart[s]; i < from.locationStart[s + 1]; i++) {
        addLocationId(id(from.narrowIds, from.wideIds, i));
      }
      for (int i = from.valueStart[s]; i < from.valueStart[s + 1]; i++) {
        addValue(from.values[i]);
      }
      for (int i = from.labelStart[s]; i < from.labelStart[s + 1]; i++) {
        addLabel(newStringIndex[from.labelKeys[i]], newStringIndex[from.labelStrs[i]], num(from.labelNums, i),
            newStringIndex[unit(from.labelUnits, i)]);
      }
      endSample();
    }

    private static int grow(int length) {
      // 1.5x keeps the peak of a copy (old + new array) lower than doubling would.
      return Math.max(8, length + (length >> 1));
    }
  }
}
