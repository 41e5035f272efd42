package dev.gopherscope.sidecar.capture.delve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads the target's memory through {@code /proc/<pid>/mem}, which needs the same ptrace
 * permission as dlv but no halt and no round trip through Delve. Used for {@code runtime.allglen},
 * the length of the runtime's goroutine list, whose address Delve resolves once at attach: asking
 * Delve to evaluate it in every capture would cost several milliseconds of pause each time. Also
 * used to check that a breakpoint's trap is gone from the code once dlv has died.
 */
final class TargetMemory {

  private final Path mem;

  TargetMemory(long pid) {
    this.mem = Path.of("/proc", Long.toString(pid), "mem");
  }

  /** The little-endian 64-bit word at {@code address}, or empty if it cannot be read. */
  OptionalLong readWord(long address) {
    return read(address, Long.BYTES).map(word -> OptionalLong.of(word.getLong())).orElse(OptionalLong.empty());
  }

  /** The byte at {@code address}, or empty if it cannot be read. */
  OptionalInt readByte(long address) {
    return read(address, 1).map(b -> OptionalInt.of(b.get() & 0xff)).orElse(OptionalInt.empty());
  }

  private Optional<ByteBuffer> read(long address, int length) {
    if (address <= 0) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(mem, StandardOpenOption.READ)) {
      ByteBuffer bytes = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
      while (bytes.hasRemaining()) {
        if (channel.read(bytes, address + bytes.position()) <= 0) {
          return Optional.empty();
        }
      }
      return Optional.of(bytes.flip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
