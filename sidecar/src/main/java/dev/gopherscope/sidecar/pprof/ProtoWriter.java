package dev.gopherscope.sidecar.pprof;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The few protobuf wire-format writes profile.proto needs: varints, tags and length-delimited
 * bytes, buffered onto an {@link OutputStream}. protobuf-java's {@code CodedOutputStream} does the
 * same, but its first use on a fresh JVM costs 60 to 80 ms of CPU (it probes for Unsafe and
 * Android through reflection) before it writes a byte, and a session's first profile runs on a
 * fresh JVM, in the target's pod.
 */
final class ProtoWriter {

  static final int VARINT = 0;
  static final int LENGTH_DELIMITED = 2;

  private final OutputStream out;
  private final byte[] buffer;
  private int position;

  ProtoWriter(OutputStream out, int bufferBytes) {
    this.out = out;
    this.buffer = new byte[Math.max(16, bufferBytes)];
  }

  /** Bytes of {@code value} as a varint; a negative int64 takes ten, as protobuf writes it. */
  static int varintSize(long value) {
    if (value < 0) {
      return 10;
    }
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  static int tagSize(int field) {
    return varintSize((long) field << 3);
  }

  /** Bytes of an int64 or uint64 field with its tag. */
  static int fieldSize(int field, long value) {
    return tagSize(field) + varintSize(value);
  }

  void writeTag(int field, int wireType) throws IOException {
    writeVarint((long) field << 3 | wireType);
  }

  void writeVarint(long value) throws IOException {
    if (buffer.length - position < 10) {
      drain();
    }
    while ((value & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[position++] = (byte) value;
  }

  /** An int64 or uint64 field: the same varint on the wire. */
  void writeField(int field, long value) throws IOException {
    writeTag(field, VARINT);
    writeVarint(value);
  }

  void writeBool(int field, boolean value) throws IOException {
    writeField(field, value ? 1 : 0);
  }

  void writeBytes(int field, byte[] bytes, int offset, int length) throws IOException {
    writeTag(field, LENGTH_DELIMITED);
    writeVarint(length);
    if (length > buffer.length - position) {
      drain();
      if (length > buffer.length) {
        out.write(bytes, offset, length);
        return;
      }
    }
    System.arraycopy(bytes, offset, buffer, position, length);
    position += length;
  }

  /** Writes what is buffered to the stream, and flushes it. */
  void flush() throws IOException {
    drain();
    out.flush();
  }

  private void drain() throws IOException {
    out.write(buffer, 0, position);
    position = 0;
  }
}
