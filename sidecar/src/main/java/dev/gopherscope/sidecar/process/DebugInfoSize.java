package dev.gopherscope.sidecar.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How much DWARF a binary carries, as Delve holds it once loaded: the {@code .debug_*} sections,
 * compressed ones (Go compresses them, SHF_COMPRESSED) counted at the size their compression
 * header gives once inflated. It is what dlv's attach pause and memory grow with (bench/results.md
 * sections 1 and 4); a file's size, which includes code and symbols, predicts them worse.
 */
public final class DebugInfoSize {

  /** Elf64_Chdr: ch_type (4), ch_reserved (4), ch_size (8), ch_addralign (8). */
  private static final int COMPRESSION_HEADER = 24;

  private DebugInfoSize() {
  }

  /**
   * The inflated size of the DWARF in {@code binary}, e.g. {@code /proc/<pid>/exe}: reads the
   * section table and one small header per compressed section.
   *
   * @return empty if the file is not a 64-bit little-endian ELF; 0 if it has no DWARF
   * @throws IOException if the file cannot be read
   */
  public static Optional<Long> inflatedBytes(Path binary) throws IOException {
    Optional<ElfFile> opened = ElfFile.open(binary);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    try (ElfFile elf = opened.get()) {
      long total = 0;
      for (ElfFile.Section section : elf.sections()) {
        if (section.name().startsWith(".debug_")) {
          total += inflated(elf, section);
        }
      }
      return Optional.of(total);
    }
  }

  private static long inflated(ElfFile elf, ElfFile.Section section) throws IOException {
    if (!section.compressed() || section.size() < COMPRESSION_HEADER) {
      return section.size();
    }
    ByteBuffer header = ByteBuffer.wrap(elf.contents(section, COMPRESSION_HEADER)).order(ByteOrder.LITTLE_ENDIAN);
    long size = header.getLong(8);
    // A hostile header cannot make the prediction absurd in the other direction: negative means huge.
    return size < 0 ? Long.MAX_VALUE / 4 : size;
  }
}
