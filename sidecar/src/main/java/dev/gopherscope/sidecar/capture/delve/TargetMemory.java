package dev.gopherscope.sidecar.capture.delve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * Reads a word of the target's memory through {@code /proc/<pid>/mem}, which needs the same ptrace
 * permission as dlv but no halt and no round trip through Delve. Used for {@code runtime.allglen},
 * the length of the runtime's goroutine list, whose address Delve resolves once at attach: asking
 * Delve to evaluate it in every capture would cost several milliseconds of pause each time.
 */
final class TargetMemory {

  private final Path mem;

  TargetMemory(long pid) {
    this.mem = Path.of("/proc", Long.toString(pid), "mem");
  }

  /** The little-endian 64-bit word at {@code address}, or empty if it cannot be read. */
  OptionalLong readWord(long address) {
    if (address <= 0) {
      return OptionalLong.empty();
    }
    try (FileChannel channel = FileChannel.open(mem, StandardOpenOption.READ)) {
      ByteBuffer word = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      while (word.hasRemaining()) {
        if (channel.read(word, address + word.position()) <= 0) {
          return OptionalLong.empty();
        }
      }
      return OptionalLong.of(word.flip().getLong());
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
