package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** ProtoWriter writes the very bytes protobuf-java's CodedOutputStream writes, and sizes them alike. */
class ProtoWriterTest {

  private static final long[] VALUES = {0, 1, 127, 128, 300, 16_383, 16_384, Integer.MAX_VALUE, 1L << 32,
      Long.MAX_VALUE, -1, -5, Integer.MIN_VALUE, Long.MIN_VALUE};

  @Test
  void fieldsAndVarintsMatchProtobufJava() throws IOException {
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    ByteArrayOutputStream theirs = new ByteArrayOutputStream();
    ProtoWriter writer = new ProtoWriter(ours, 16);
    CodedOutputStream reference = CodedOutputStream.newInstance(theirs, 16);
    byte[] big = new byte[100];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    for (long value : VALUES) {
      writer.writeField(5, value);
      reference.writeInt64(5, value);
      writer.writeTag(2000, ProtoWriter.LENGTH_DELIMITED);
      reference.writeTag(2000, 2);
      writer.writeVarint(value);
      reference.writeUInt64NoTag(value);
      assertThat(ProtoWriter.varintSize(value)).isEqualTo(CodedOutputStream.computeInt64SizeNoTag(value));
      assertThat(ProtoWriter.fieldSize(2000, value)).isEqualTo(CodedOutputStream.computeInt64Size(2000, value));
    }
    writer.writeBool(7, true);
    reference.writeBool(7, true);
    writer.writeBytes(6, big, 3, 5);
    reference.writeByteArray(6, big, 3, 5);
    // Longer than the buffer: written straight through.
    writer.writeBytes(6, big, 0, big.length);
    reference.writeByteArray(6, big, 0, big.length);
    writer.flush();
    reference.flush();

    assertThat(ours.toByteArray()).isEqualTo(theirs.toByteArray());
    assertThat(ProtoWriter.tagSize(2000)).isEqualTo(CodedOutputStream.computeTagSize(2000));
  }
}
