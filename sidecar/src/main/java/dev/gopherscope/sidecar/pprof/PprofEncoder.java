package dev.gopherscope.sidecar.pprof;

import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.Mapping;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@link PprofProfile} as profile.proto, gzip'd as {@code go tool pprof}, Pyroscope and
 * speedscope expect a {@code .pb.gz}. It writes exactly what the model holds (no pruning: a
 * {@link SampleFilter} result is already compact), fields in field-number order, zero scalars
 * omitted as proto3 does, repeated numbers packed.
 */
public final class PprofEncoder {

  private static final int BUFFER_BYTES = 64 * 1024;

  private PprofEncoder() {
  }

  /** The profile as a gzip'd {@code .pb.gz}. */
  public static byte[] encode(PprofProfile profile) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(BUFFER_BYTES);
    try {
      write(profile, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return bytes.toByteArray();
  }

  /** Writes the profile gzip'd to {@code out}, which is left open. */
  public static void write(PprofProfile profile, OutputStream out) throws IOException {
    GZIPOutputStream gzip = new FastGzipOutputStream(out);
    writeUncompressed(profile, gzip);
    gzip.finish();
  }

  /** Writes the bare protobuf, without gzip, to {@code out}, which is left open. */
  public static void writeUncompressed(PprofProfile profile, OutputStream out) throws IOException {
    ProtoWriter o = new ProtoWriter(out, BUFFER_BYTES);
    for (ValueType type : profile.sampleTypes()) {
      writeValueType(o, 1, type);
    }
    Samples samples = profile.samples();
    for (int s = 0; s < samples.size(); s++) {
      writeSample(o, samples, s);
    }
    for (Mapping mapping : profile.mappings()) {
      writeMapping(o, mapping);
    }
    for (Location location : profile.locations()) {
      writeLocation(o, location);
    }
    for (Function function : profile.functions()) {
      writeFunction(o, function);
    }
    StringTable strings = profile.strings();
    for (int i = 0; i < strings.size(); i++) {
      o.writeBytes(6, strings.bytes(), strings.byteOffset(i), strings.byteLength(i));
    }
    writeInt64(o, 7, profile.dropFrames());
    writeInt64(o, 8, profile.keepFrames());
    writeInt64(o, 9, profile.timeNanos());
    writeInt64(o, 10, profile.durationNanos());
    if (!profile.periodType().isNone()) {
      writeValueType(o, 11, profile.periodType());
    }
    writeInt64(o, 12, profile.period());
    if (!profile.comments().isEmpty()) {
      int size = 0;
      for (int comment : profile.comments()) {
        size += ProtoWriter.varintSize(comment);
      }
      o.writeTag(13, ProtoWriter.LENGTH_DELIMITED);
      o.writeVarint(size);
      for (int comment : profile.comments()) {
        o.writeVarint(comment);
      }
    }
    writeInt64(o, 14, profile.defaultSampleType());
    writeInt64(o, 15, profile.docUrl());
    o.flush();
  }

  /**
   * Gzip at the fastest level, as Go's runtime writes its profiles: on profile data it costs a
   * few percent in size and saves most of the encoding time.
   */
  private static final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out) throws IOException {
      super(out, BUFFER_BYTES);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  private static void writeValueType(ProtoWriter o, int field, ValueType type) throws IOException {
    int size = int64Size(1, type.type()) + int64Size(2, type.unit());
    startMessage(o, field, size);
    writeInt64(o, 1, type.type());
    writeInt64(o, 2, type.unit());
  }

  private static void writeSample(ProtoWriter o, Samples samples, int s) throws IOException {
    int locations = samples.locationCount(s);
    int locationBytes = 0;
    for (int d = 0; d < locations; d++) {
      locationBytes += ProtoWriter.varintSize(samples.locationId(s, d));
    }
    int values = samples.valueCount(s);
    int valueBytes = 0;
    for (int v = 0; v < values; v++) {
      valueBytes += ProtoWriter.varintSize(samples.value(s, v));
    }
    int labels = samples.labelCount(s);
    int size = packedSize(1, locations, locationBytes) + packedSize(2, values, valueBytes);
    for (int j = 0; j < labels; j++) {
      int labelBytes = labelSize(samples, s, j);
      size += ProtoWriter.tagSize(3) + ProtoWriter.varintSize(labelBytes) + labelBytes;
    }

    startMessage(o, 2, size);
    if (locations > 0) {
      startMessage(o, 1, locationBytes);
      for (int d = 0; d < locations; d++) {
        o.writeVarint(samples.locationId(s, d));
      }
    }
    if (values > 0) {
      startMessage(o, 2, valueBytes);
      for (int v = 0; v < values; v++) {
        o.writeVarint(samples.value(s, v));
      }
    }
    for (int j = 0; j < labels; j++) {
      startMessage(o, 3, labelSize(samples, s, j));
      writeInt64(o, 1, samples.labelKey(s, j));
      writeInt64(o, 2, samples.labelStr(s, j));
      writeInt64(o, 3, samples.labelNum(s, j));
      writeInt64(o, 4, samples.labelNumUnit(s, j));
    }
  }

  private static int labelSize(Samples samples, int s, int j) {
    return int64Size(1, samples.labelKey(s, j)) + int64Size(2, samples.labelStr(s, j))
        + int64Size(3, samples.labelNum(s, j)) + int64Size(4, samples.labelNumUnit(s, j));
  }

  private static void writeMapping(ProtoWriter o, Mapping m) throws IOException {
    int size = uint64Size(1, m.id()) + uint64Size(2, m.memoryStart()) + uint64Size(3, m.memoryLimit())
        + uint64Size(4, m.fileOffset()) + int64Size(5, m.filename()) + int64Size(6, m.buildId())
        + boolSize(7, m.hasFunctions()) + boolSize(8, m.hasFilenames())
        + boolSize(9, m.hasLineNumbers()) + boolSize(10, m.hasInlineFrames());
    startMessage(o, 3, size);
    writeUInt64(o, 1, m.id());
    writeUInt64(o, 2, m.memoryStart());
    writeUInt64(o, 3, m.memoryLimit());
    writeUInt64(o, 4, m.fileOffset());
    writeInt64(o, 5, m.filename());
    writeInt64(o, 6, m.buildId());
    writeBool(o, 7, m.hasFunctions());
    writeBool(o, 8, m.hasFilenames());
    writeBool(o, 9, m.hasLineNumbers());
    writeBool(o, 10, m.hasInlineFrames());
  }

  private static void writeLocation(ProtoWriter o, Location location) throws IOException {
    int size = uint64Size(1, location.id()) + uint64Size(2, location.mappingId())
        + uint64Size(3, location.address()) + boolSize(5, location.isFolded());
    for (Line line : location.lines()) {
      int lineBytes = lineSize(line);
      size += ProtoWriter.tagSize(4) + ProtoWriter.varintSize(lineBytes) + lineBytes;
    }
    startMessage(o, 4, size);
    writeUInt64(o, 1, location.id());
    writeUInt64(o, 2, location.mappingId());
    writeUInt64(o, 3, location.address());
    for (Line line : location.lines()) {
      startMessage(o, 4, lineSize(line));
      writeUInt64(o, 1, line.functionId());
      writeInt64(o, 2, line.line());
      writeInt64(o, 3, line.column());
    }
    writeBool(o, 5, location.isFolded());
  }

  private static int lineSize(Line line) {
    return uint64Size(1, line.functionId()) + int64Size(2, line.line()) + int64Size(3, line.column());
  }

  private static void writeFunction(ProtoWriter o, Function f) throws IOException {
    int size = uint64Size(1, f.id()) + int64Size(2, f.name()) + int64Size(3, f.systemName())
        + int64Size(4, f.filename()) + int64Size(5, f.startLine());
    startMessage(o, 5, size);
    writeUInt64(o, 1, f.id());
    writeInt64(o, 2, f.name());
    writeInt64(o, 3, f.systemName());
    writeInt64(o, 4, f.filename());
    writeInt64(o, 5, f.startLine());
  }

  private static void startMessage(ProtoWriter o, int field, int size) throws IOException {
    o.writeTag(field, ProtoWriter.LENGTH_DELIMITED);
    o.writeVarint(size);
  }

  private static int packedSize(int field, int count, int bytes) {
    return count == 0 ? 0 : ProtoWriter.tagSize(field) + ProtoWriter.varintSize(bytes) + bytes;
  }

  // proto3 leaves zero scalars off the wire; the helpers below apply that rule in one place.

  private static void writeInt64(ProtoWriter o, int field, long value) throws IOException {
    if (value != 0) {
      o.writeField(field, value);
    }
  }

  private static void writeUInt64(ProtoWriter o, int field, long value) throws IOException {
    if (value != 0) {
      o.writeField(field, value);
    }
  }

  private static void writeBool(ProtoWriter o, int field, boolean value) throws IOException {
    if (value) {
      o.writeBool(field, true);
    }
  }

  private static int int64Size(int field, long value) {
    return value == 0 ? 0 : ProtoWriter.fieldSize(field, value);
  }

  private static int uint64Size(int field, long value) {
    return value == 0 ? 0 : ProtoWriter.fieldSize(field, value);
  }

  private static int boolSize(int field, boolean value) {
    return value ? ProtoWriter.tagSize(field) + 1 : 0;
  }
}
