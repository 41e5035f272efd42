package dev.gopherscope.sidecar.pprof;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A profile's {@code string_table}: UTF-8 bytes packed in one array, decoded to {@link String}
 * only when someone asks. A goroutine profile of a busy service holds a few distinct strings per
 * request (traceparent, trace id, span id) that most uses never read as text (a label filter
 * compares indexes, the encoder copies bytes), so decoding them all up front would be most of the
 * decoder's work and garbage. A string that is not valid UTF-8 survives a round trip unchanged,
 * as in Go.
 *
 * <p>Immutable, and safe to share: the decode cache is filled racily, but a {@link String} is
 * safely published and every thread computes the same one.
 */
public final class StringTable {

  private final byte[] bytes; // may be longer than the entries
  private final int[] offsets; // entry i spans bytes[offsets[i] .. offsets[i + 1])
  private final String[] decoded;

  private StringTable(byte[] bytes, int[] offsets) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.decoded = new String[offsets.length - 1];
  }

  /** A table of the given strings; {@code strings.get(0)} must be the empty string. */
  public static StringTable of(List<String> strings) {
    if (!strings.isEmpty() && !strings.get(0).isEmpty()) {
      throw new IllegalArgumentException("string_table[0] must be \"\", got \"" + strings.get(0) + "\"");
    }
    Builder builder = new Builder(strings.size());
    for (String s : strings) {
      builder.add(s.getBytes(StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  public int size() {
    return decoded.length;
  }

  public String get(int index) {
    String s = decoded[index];
    if (s == null) {
      s = decode(index);
      decoded[index] = s;
    }
    return s;
  }

  /** The entry as a new string, not cached: for one-off reads of many entries, such as every trace id. */
  String decode(int index) {
    String s = decoded[index];
    return s != null ? s : new String(bytes, offsets[index], offsets[index + 1] - offsets[index], StandardCharsets.UTF_8);
  }

  /** Every index whose entry is {@code value}: a well-formed table has at most one, but pprof does not require it. */
  public int[] indexesOf(String value) {
    byte[] wanted = value.getBytes(StandardCharsets.UTF_8);
    int[] found = new int[0];
    for (int i = 0; i < decoded.length; i++) {
      int from = offsets[i];
      if (offsets[i + 1] - from == wanted.length
          && Arrays.equals(bytes, from, from + wanted.length, wanted, 0, wanted.length)) {
        found = Arrays.copyOf(found, found.length + 1);
        found[found.length - 1] = i;
      }
    }
    return found;
  }

  /** A table of the entries whose {@code keep} flag is set, in their original order. */
  StringTable retain(boolean[] keep) {
    int entries = 0;
    int byteCount = 0;
    for (int i = 0; i < decoded.length; i++) {
      if (keep[i]) {
        entries++;
        byteCount += offsets[i + 1] - offsets[i];
      }
    }
    Builder builder = new Builder(entries, byteCount);
    for (int i = 0; i < decoded.length; i++) {
      if (keep[i]) {
        builder.add(bytes, offsets[i], offsets[i + 1] - offsets[i]);
      }
    }
    return builder.build();
  }

  int byteLength(int index) {
    return offsets[index + 1] - offsets[index];
  }

  int byteOffset(int index) {
    return offsets[index];
  }

  byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StringTable other) || other.size() != size()) {
      return false;
    }
    for (int i = 0; i < decoded.length; i++) {
      if (!Arrays.equals(bytes, offsets[i], offsets[i + 1], other.bytes, other.offsets[i], other.offsets[i + 1])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = 1;
    for (int i = 0; i < decoded.length; i++) {
      for (int b = offsets[i]; b < offsets[i + 1]; b++) {
        hash = 31 * hash + bytes[b];
      }
      hash = 31 * hash + 0x1f;
    }
    return hash;
  }

  @Override
  public String toString() {
    return "StringTable[" + size() + " entries, " + offsets[offsets.length - 1] + " bytes]";
  }

  /** Appends entries; the decoder feeds it straight from the wire. */
  static final class Builder {
    private byte[] bytes;
    private int[] offsets;
    private int count;

    Builder(int expectedEntries) {
      this(expectedEntries, expectedEntries * 16);
    }

    Builder(int expectedEntries, int expectedBytes) {
      bytes = new byte[Math.max(64, expectedBytes)];
      offsets = new int[Math.max(2, expectedEntries + 1)];
    }

    int size() {
      return count;
    }

    void add(byte[] source) {
      add(source, 0, source.length);
    }

    void add(byte[] source, int from, int length) {
      int end = offsets[count];
      if (end + length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(end + length, bytes.length + (bytes.length >> 1)));
      }
      System.arraycopy(source, from, bytes, end, length);
      if (count + 2 > offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      offsets[++count] = end + length;
    }

    boolean firstIsEmpty() {
      return count == 0 || offsets[1] == 0;
    }

    StringTable build() {
      if (count == 0) {
        // Index 0 is always "": an empty profile has no string table on the wire at all.
        add(new byte[0]);
      }
      // The bytes are not trimmed: a copy would hold the table twice at the decoder's peak (a
      // profile with per-request labels is mostly its string table), for at most a third spared.
      return new StringTable(bytes, Arrays.copyOf(offsets, count + 1));
    }
  }
}
