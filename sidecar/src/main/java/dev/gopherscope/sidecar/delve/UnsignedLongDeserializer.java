package dev.gopherscope.sidecar.delve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/**
 * Reads a Go {@code uint64} into a {@code long} bit for bit. Delve's addresses are uint64 and some
 * are above 2^63 (it gives variables held in registers or composed in its own memory fake
 * addresses from {@code 0xbeef000000000000}), which Jackson would reject as out of range.
 */
final class UnsignedLongDeserializer extends JsonDeserializer<Long> {

  @Override
  public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    return Long.parseUnsignedLong(parser.getValueAsString());
  }

  /** Absent or null is 0, as for a plain {@code long}; the fields it serves are primitives. */
  @Override
  public Long getNullValue(DeserializationContext context) {
    return 0L;
  }
}
