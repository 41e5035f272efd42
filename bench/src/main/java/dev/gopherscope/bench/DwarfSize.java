package dev.gopherscope.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The size of a 64-bit little-endian ELF's DWARF: its {@code .debug_*} sections as stored (Go
 * compresses them, SHF_COMPRESSED) and as Delve has them after inflating (the {@code ch_size} of
 * each section's compression header), plus the file's size.
 */
record DwarfSize(long fileBytes, long storedBytes, long inflatedBytes) {

  private static final long SHF_COMPRESSED = 0x800;

  static DwarfSize of(Path binary) throws IOException {
    try (FileChannel file = FileChannel.open(binary, StandardOpenOption.READ)) {
      ByteBuffer header = read(file, 0, 64);
      if (header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1) {
        throw new IOException(binary + " is not a 64-bit little-endian ELF");
      }
      long shoff = header.getLong(0x28);
      int shentsize = Short.toUnsignedInt(header.getShort(0x3a));
      int shnum = Short.toUnsignedInt(header.getShort(0x3c));
      int shstrndx = Short.toUnsignedInt(header.getShort(0x3e));
      ByteBuffer table = read(file, shoff, shnum * shentsize);
      int strBase = shstrndx * shentsize;
      byte[] names = new byte[(int) table.getLong(strBase + 0x20)];
      read(file, table.getLong(strBase + 0x18), names.length).get(names);
      long stored = 0;
      long inflated = 0;
      for (int i = 0; i < shnum; i++) {
        int base = i * shentsize;
        String name = name(names, table.getInt(base));
        if (!name.startsWith(".debug_")) {
          continue;
        }
        long flags = table.getLong(base + 0x08);
        long offset = table.getLong(base + 0x18);
        long size = table.getLong(base + 0x20);
        stored += size;
        // Elf64_Chdr: ch_type (4), ch_reserved (4), ch_size (8), ch_addralign (8).
        inflated += (flags & SHF_COMPRESSED) != 0 && size >= 24 ? read(file, offset, 24).getLong(8) : size;
      }
      return new DwarfSize(file.size(), stored, inflated);
    }
  }

  private static String name(byte[] names, int offset) {
    int end = offset;
    while (end < names.length && names[end] != 0) {
      end++;
    }
    return new String(names, offset, end - offset, StandardCharsets.US_ASCII);
  }

  private static ByteBuffer read(FileChannel file, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (file.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("ELF file ends early");
      }
    }
    return buffer.flip();
  }
}
