package dev.gopherscope.sidecar.pprof;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.Mapping;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a pprof profile (profile.proto, gzip'd or not) straight off the protobuf wire with
 * {@link CodedInputStream}: no generated classes, and samples go into columns rather than objects
 * (see {@link Samples}). Gzip'd input is inflated as it is parsed, never into one big buffer, and
 * every count that costs memory is checked against {@link PprofLimits} before it is allocated, so
 * the work and memory spent on any input are bounded by the limits, whatever the input claims.
 *
 * <p>What it accepts matches what {@code go tool pprof} accepts: unknown fields are skipped,
 * packed and unpacked repeated numbers are both read, and the result passes the same consistency
 * checks as Go's {@code Profile.CheckValid} (see {@link ProfileValidator}).
 * Thread-safe; each call decodes independently.
 */
public final class PprofDecoder {

  private static final int BUFFER_BYTES = 64 * 1024;

  private final PprofLimits limits;

  public PprofDecoder() {
    this(PprofLimits.defaults());
  }

  public PprofDecoder(PprofLimits limits) {
    this.limits = limits;
  }

  /**
   * Decodes a profile held in memory.
   *
   * @throws PprofFormatException if the bytes are not a valid profile within the limits
   */
  public PprofProfile decode(byte[] data) {
    if (data.length == 0) {
      throw new PprofFormatException("empty input: no profile bytes");
    }
    try {
      if (isGzip(data[0], data.length > 1 ? data[1] : 0)) {
        // Inflated while parsed, never whole: a bomb of skippable fields then costs no memory.
        return decodeStream(new ByteArrayInputStream(data), true);
      }
      if (data.length > limits.maxDecompressedBytes()) {
        throw new PprofFormatException("the profile has " + data.length + " bytes, more than "
            + limits.maxDecompressedBytes() + " (PprofLimits.maxDecompressedBytes)");
      }
      return new Decoding(CodedInputStream.newInstance(data), data, limits).run();
    } catch (IOException e) {
      // Nothing here reads anything but memory, so only gunzip can fail, and only on bad data.
      throw new PprofFormatException("unreadable gzip stream: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes a profile from a stream, such as an HTTP response body, without buffering it whole.
   * The stream is read to the end of the profile but not closed.
   *
   * @throws PprofFormatException if the bytes are not a valid profile within the limits
   * @throws IOException if reading the stream fails
   */
  public PprofProfile decode(InputStream in) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, BUFFER_BYTES);
    buffered.mark(2);
    int first = buffered.read();
    int second = buffered.read();
    buffered.reset();
    if (first < 0) {
      throw new PprofFormatException("empty input: no profile bytes");
    }
    return decodeStream(buffered, isGzip((byte) first, (byte) second));
  }

  private PprofProfile decodeStream(InputStream in, boolean gzip) throws IOException {
    try {
      InputStream raw = gzip ? new GZIPInputStream(in, BUFFER_BYTES) : in;
      CappedInputStream capped = new CappedInputStream(raw, limits.maxDecompressedBytes());
      return new Decoding(CodedInputStream.newInstance(capped, BUFFER_BYTES), null, limits).run();
    } catch (ZipException e) {
      throw new PprofFormatException("corrupt gzip stream: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new PprofFormatException("truncated " + (gzip ? "gzip stream" : "profile") + ": " + e.getMessage(), e);
    }
  }

  private static boolean isGzip(byte first, byte second) {
    return first == (byte) 0x1f && second == (byte) 0x8b;
  }

  /** The state of one decode: the wire reader, what has been read so far, and where we are. */
  private static final class Decoding {
    private static final int VARINT = WireFormat.WIRETYPE_VARINT;
    private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private final CodedInputStream in;
    // The whole input when decoding from memory: strings are then copied straight out of it.
    private final byte[] source;
    private final PprofLimits limits;
    private final List<ValueType> sampleTypes = new ArrayList<>();
    private final Samples.Builder samples = new Samples.Builder(1024);
    private final List<Mapping> mappings = new ArrayList<>();
    private final List<Location> locations = new ArrayList<>();
    private final List<Function> functions = new ArrayList<>();
    private final StringTable.Builder strings = new StringTable.Builder(1024);
    private final List<Integer> comments = new ArrayList<>();
    private int dropFrames;
    private int keepFrames;
    private long timeNanos;
    private long durationNanos;
    private ValueType periodType = ValueType.NONE;
    private long period;
    private int defaultSampleType;
    private int docUrl;
    private int lineCount;

    // Where we are, for error messages: a top-level field name and the element's index in it.
    private String section = "profile";
    private int element = -1;

    Decoding(CodedInputStream in, byte[] source, PprofLimits limits) {
      this.in = in;
      this.source = source;
      this.limits = limits;
    }

    PprofProfile run() throws IOException {
      try {
        readProfile();
      } catch (InvalidProtocolBufferException e) {
        throw fail(describe(e), e);
      }
      if (in.getTotalBytesRead() == 0) {
        throw new PprofFormatException("empty input: the profile has no bytes after decompression");
      }
      if (!strings.firstIsEmpty()) {
        throw new PprofFormatException("string_table[0] must be the empty string");
      }
      PprofProfile profile = new PprofProfile(sampleTypes, samples.build(), mappings, locations,
          functions, strings.build(), dropFrames, keepFrames, timeNanos, durationNanos, periodType,
          period, comments, defaultSampleType, docUrl);
      ProfileValidator.check(profile);
      return profile;
    }

    private void readProfile() throws IOException {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int wire = WireFormat.getTagWireType(tag);
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            enter("sample_type", sampleTypes.size(), limits.maxSampleTypes(), "maxSampleTypes", wire, LEN);
            sampleTypes.add(readValueType());
          }
          case 2 -> {
            enter("sample", samples.size(), limits.maxSamples(), "maxSamples", wire, LEN);
            readSample();
          }
          case 3 -> {
            enter("mapping", mappings.size(), limits.maxMappings(), "maxMappings", wire, LEN);
            mappings.add(readMapping());
          }
          case 4 -> {
            enter("location", locations.size(), limits.maxLocations(), "maxLocations", wire, LEN);
            locations.add(readLocation());
          }
          case 5 -> {
            enter("function", functions.size(), limits.maxFunctions(), "maxFunctions", wire, LEN);
            functions.add(readFunction());
          }
          case 6 -> {
            enter("string_table", strings.size(), limits.maxStrings(), "maxStrings", wire, LEN);
            readString();
          }
          case 7 -> dropFrames = readStringIndex("drop_frames", wire);
          case 8 -> keepFrames = readStringIndex("keep_frames", wire);
          case 9 -> timeNanos = readInt64("time_nanos", wire);
          case 10 -> durationNanos = readInt64("duration_nanos", wire);
          case 11 -> {
            enter("period_type", -1, 1, "", wire, LEN);
            periodType = readValueType();
          }
          case 12 -> period = readInt64("period", wire);
          case 13 -> readComments(wire);
          case 14 -> defaultSampleType = readStringIndex("default_sample_type", wire);
          case 15 -> docUrl = readStringIndex("doc_url", wire);
          default -> skipUnknown(tag);
        }
        section = "profile";
        element = -1;
      }
    }

    private ValueType readValueType() throws IOException {
      int outer = pushMessage();
      int type = 0;
      int unit = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 1 << 3 | VARINT -> type = stringIndex("type");
          case 2 << 3 | VARINT -> unit = stringIndex("unit");
          default -> skipUnknownNested(tag, 2);
        }
      }
      in.popLimit(outer);
      return new ValueType(type, unit);
    }

    private void readSample() throws IOException {
      int outer = pushMessage();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 1 << 3 | LEN -> {
            int packed = pushMessage();
            while (in.getBytesUntilLimit() > 0) {
              addLocationId(in.readUInt64());
            }
            in.popLimit(packed);
          }
          case 1 << 3 | VARINT -> addLocationId(in.readUInt64());
          case 2 << 3 | LEN -> {
            int packed = pushMessage();
            while (in.getBytesUntilLimit() > 0) {
              addValue(in.readInt64());
            }
            in.popLimit(packed);
          }
          case 2 << 3 | VARINT -> addValue(in.readInt64());
          case 3 << 3 | LEN -> readLabel();
          default -> skipUnknownNested(tag, 3);
        }
      }
      in.popLimit(outer);
      samples.endSample();
    }

    private void addLocationId(long id) {
      if (samples.openLocationCount() >= limits.maxStackDepth()) {
        throw fail("more than " + limits.maxStackDepth() + " location ids (PprofLimits.maxStackDepth)");
      }
      checkReferences();
      samples.addLocationId(id);
    }

    private void addValue(long value) {
      // A sample has one value per sample type, so the sample type limit bounds values too.
      if (samples.openValueCount() >= limits.maxSampleTypes()) {
        throw fail("more than " + limits.maxSampleTypes() + " values (PprofLimits.maxSampleTypes)");
      }
      samples.addValue(value);
    }

    private void readLabel() throws IOException {
      if (samples.openLabelCount() >= limits.maxLabelsPerSample()) {
        throw fail("more than " + limits.maxLabelsPerSample() + " labels (PprofLimits.maxLabelsPerSample)");
      }
      checkReferences();
      int outer = pushMessage();
      int key = 0;
      int str = 0;
      long num = 0;
      int unit = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 1 << 3 | VARINT -> key = stringIndex("label key");
          case 2 << 3 | VARINT -> str = stringIndex("label str");
          case 3 << 3 | VARINT -> num = in.readInt64();
          case 4 << 3 | VARINT -> unit = stringIndex("label num_unit");
          default -> skipUnknownNested(tag, 4);
        }
      }
      in.popLimit(outer);
      samples.addLabel(key, str, num, unit);
    }

    private void checkReferences() {
      if (samples.references() >= limits.maxSampleReferences()) {
        throw fail("the samples hold more than " + limits.maxSampleReferences()
            + " location ids and labels in all (PprofLimits.maxSampleReferences)");
      }
    }

    private Mapping readMapping() throws IOException {
      int outer = pushMessage();
      long id = 0;
      long start = 0;
      long limit = 0;
      long offset = 0;
      int filename = 0;
      int buildId = 0;
      boolean hasFunctions = false;
      boolean hasFilenames = false;
      boolean hasLineNumbers = false;
      boolean hasInlineFrames = false;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 1 << 3 | VARINT -> id = in.readUInt64();
          case 2 << 3 | VARINT -> start = in.readUInt64();
          case 3 << 3 | VARINT -> limit = in.readUInt64();
          case 4 << 3 | VARINT -> offset = in.readUInt64();
          case 5 << 3 | VARINT -> filename = stringIndex("filename");
          case 6 << 3 | VARINT -> buildId = stringIndex("build_id");
          case 7 << 3 | VARINT -> hasFunctions = in.readBool();
          case 8 << 3 | VARINT -> hasFilenames = in.readBool();
          case 9 << 3 | VARINT -> hasLineNumbers = in.readBool();
          case 10 << 3 | VARINT -> hasInlineFrames = in.readBool();
          default -> skipUnknownNested(tag, 10);
        }
      }
      in.popLimit(outer);
      return new Mapping(id, start, limit, offset, filename, buildId, hasFunctions, hasFilenames,
          hasLineNumbers, hasInlineFrames);
    }

    private Location readLocation() throws IOException {
      int outer = pushMessage();
      long id = 0;
      long mappingId = 0;
      long address = 0;
      List<Line> lines = new ArrayList<>(2);
      boolean folded = false;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 1 << 3 | VARINT -> id = in.readUInt64();
          case 2 << 3 | VARINT -> mappingId = in.readUInt64();
          case 3 << 3 | VARINT -> address = in.readUInt64();
          case 4 << 3 | LEN -> {
            if (++lineCount > limits.maxLines()) {
              throw fail("more than " + limits.maxLines() + " lines in all locations (PprofLimits.maxLines)");
            }
            lines.add(readLine());
          }
          case 5 << 3 | VARINT -> folded = in.readBool();
          default -> skipUnknownNested(tag, 5);
        }
      }
      in.popLimit(outer);
      return new Location(id, mappingId, address, lines, folded);
    }

    private Line readLine() throws IOException {
      int outer = pushMessage();
      long functionId = 0;
      long line = 0;
      long column = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 1 << 3 | VARINT -> functionId = in.readUInt64();
          case 2 << 3 | VARINT -> line = in.readInt64();
          case 3 << 3 | VARINT -> column = in.readInt64();
          default -> skipUnknownNested(tag, 3);
        }
      }
      in.popLimit(outer);
      return new Line(functionId, line, column);
    }

    private Function readFunction() throws IOException {
      int outer = pushMessage();
      long id = 0;
      int name = 0;
      int systemName = 0;
      int filename = 0;
      long startLine = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 1 << 3 | VARINT -> id = in.readUInt64();
          case 2 << 3 | VARINT -> name = stringIndex("name");
          case 3 << 3 | VARINT -> systemName = stringIndex("system_name");
          case 4 << 3 | VARINT -> filename = stringIndex("filename");
          case 5 << 3 | VARINT -> startLine = in.readInt64();
          default -> skipUnknownNested(tag, 5);
        }
      }
      in.popLimit(outer);
      return new Function(id, name, systemName, filename, startLine);
    }

    private void readString() throws IOException {
      int length = in.readRawVarint32();
      if (length < 0 || length > limits.maxStringLength()) {
        throw fail("an entry of " + Integer.toUnsignedString(length) + " bytes, more than "
            + limits.maxStringLength() + " (PprofLimits.maxStringLength)");
      }
      if (source == null) {
        strings.add(in.readRawBytes(length));
      } else {
        int at = in.getTotalBytesRead();
        in.skipRawBytes(length);
        strings.add(source, at, length);
      }
    }

    private void readComments(int wire) throws IOException {
      section = "comment";
      if (wire == LEN) {
        int packed = pushMessage();
        while (in.getBytesUntilLimit() > 0) {
          addComment();
        }
        in.popLimit(packed);
      } else {
        expectWireType(wire, VARINT);
        addComment();
      }
    }

    private void addComment() throws IOException {
      element = comments.size();
      if (comments.size() >= limits.maxComments()) {
        throw fail("more than " + limits.maxComments() + " comments (PprofLimits.maxComments)");
      }
      comments.add(stringIndex("comment"));
    }

    private int readStringIndex(String field, int wire) throws IOException {
      section = field;
      expectWireType(wire, VARINT);
      return stringIndex(field);
    }

    private long readInt64(String field, int wire) throws IOException {
      section = field;
      expectWireType(wire, VARINT);
      return in.readInt64();
    }

    /** Reads a string table index; its upper bound is checked once the table is complete. */
    private int stringIndex(String field) throws IOException {
      long index = in.readInt64();
      if (index < 0 || index >= limits.maxStrings()) {
        throw fail(field + " refers to string " + index + ", outside any string table this decoder accepts");
      }
      return (int) index;
    }

    /** Notes which element we are in and checks its count and wire type before reading it. */
    private void enter(String field, int index, int max, String limit, int wire, int expectedWire) {
      section = field;
      element = index;
      if (index >= max) {
        throw fail("more than " + max + " " + field + " entries (PprofLimits." + limit + ")");
      }
      expectWireType(wire, expectedWire);
    }

    private int pushMessage() throws IOException {
      int length = in.readRawVarint32();
      if (length < 0) {
        throw fail("a length of " + Integer.toUnsignedString(length) + " bytes");
      }
      return in.pushLimit(length);
    }

    private void expectWireType(int wire, int expected) {
      if (wire != expected) {
        throw fail("wire type " + wire + " where profile.proto has " + expected);
      }
    }

    private void skipUnknown(int tag) throws IOException {
      section = "unknown field";
      element = WireFormat.getTagFieldNumber(tag);
      // protobuf-java rejects a stray end-group tag itself, so the result is always true here.
      in.skipField(tag);
    }

    /** Skips a field this message does not define; a defined field with the wrong wire type is an error. */
    private void skipUnknownNested(int tag, int lastKnownField) throws IOException {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field >= 1 && field <= lastKnownField) {
        throw fail("field " + field + " has wire type " + WireFormat.getTagWireType(tag)
            + ", which profile.proto does not allow for it");
      }
      in.skipField(tag);
    }

    private PprofFormatException fail(String problem) {
      return fail(problem, null);
    }

    private PprofFormatException fail(String problem, Throwable cause) {
      String where = element >= 0 ? section + " #" + element : section;
      return new PprofFormatException("malformed pprof profile: " + problem + " (in " + where
          + ", at byte " + in.getTotalBytesRead() + " of the decompressed profile)", cause);
    }

    private static String describe(InvalidProtocolBufferException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("ended unexpectedly") || message.contains("truncated")) {
        return "the input ends inside a field: the profile is truncated or a message misstates its length";
      }
      return message;
    }
  }
}
