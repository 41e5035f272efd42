package dev.gopherscope.sidecar.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The section table of a 64-bit little-endian ELF file, read straight from the file: only what is
 * needed to find Go's build info and tell whether DWARF is there. Section contents are read on
 * demand, so a large binary costs a few small reads. A file that is not such an ELF (a script, a
 * 32-bit or big-endian binary, a truncated file) is reported as {@link Optional#empty()} by
 * {@link #open}, never as an exception: telling Go binaries from the rest is the point.
 */
final class ElfFile implements AutoCloseable {

  /** Go reads at most this much of a section it parses; so do we, so a hostile file cannot balloon us. */
  static final int MAX_SECTION_READ = 1 << 20;

  private static final int HEADER_SIZE = 64;
  private static final int SECTION_HEADER_SIZE = 64;
  private static final int MAX_SECTIONS = 1 << 16;
  private static final int SHT_NOBITS = 8;
  private static final int SHN_XINDEX = 0xffff;

  /** One entry of the section header table. */
  record Section(String name, int type, long flags, long addr, long offset, long size) {

    private static final long SHF_COMPRESSED = 0x800;

    boolean compressed() {
      return (flags & SHF_COMPRESSED) != 0;
    }

    boolean containsAddress(long address, long length) {
      return type != SHT_NOBITS && addr != 0 && address >= addr && address + length <= addr + size;
    }
  }

  private final FileChannel channel;
  private final int machine;
  private final List<Section> sections;

  private ElfFile(FileChannel channel, int machine, List<Section> sections) {
    this.channel = channel;
    this.machine = machine;
    this.sections = sections;
  }

  /**
   * Opens {@code file} if it is a 64-bit little-endian ELF with a readable section table.
   *
   * @throws IOException if the file cannot be read at all
   */
  static Optional<ElfFile> open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      Optional<ElfFile> elf = parse(channel);
      if (elf.isEmpty()) {
        channel.close();
      }
      return elf;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Optional<ElfFile> parse(FileChannel channel) throws IOException {
    long fileSize = channel.size();
    if (fileSize < HEADER_SIZE) {
      return Optional.empty();
    }
    ByteBuffer header = read(channel, 0, HEADER_SIZE);
    if (header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1) {
      return Optional.empty(); // not "\x7fELF", not ELFCLASS64, or not ELFDATA2LSB
    }
    int machine = Short.toUnsignedInt(header.getShort(18));
    long shoff = header.getLong(0x28);
    int shentsize = Short.toUnsignedInt(header.getShort(0x3a));
    long shnum = Short.toUnsignedInt(header.getShort(0x3c));
    int shstrndx = Short.toUnsignedInt(header.getShort(0x3e));
    if (shoff <= 0 || shoff >= fileSize || shentsize < SECTION_HEADER_SIZE) {
      return Optional.empty();
    }
    // Past 0xff00 sections the real count and string table index live in section 0.
    ByteBuffer first = read(channel, shoff, SECTION_HEADER_SIZE);
    if (shnum == 0) {
      shnum = first.getLong(0x20);
    }
    if (shstrndx == SHN_XINDEX) {
      shstrndx = first.getInt(0x28);
    }
    if (shnum <= 0 || shnum > MAX_SECTIONS || shoff + shnum * shentsize > fileSize
        || shstrndx <= 0 || shstrndx >= shnum) {
      return Optional.empty();
    }
    ByteBuffer table = read(channel, shoff, (int) (shnum * shentsize));
    long[][] raw = new long[(int) shnum][];
    for (int i = 0; i < shnum; i++) {
      int base = i * shentsize;
      raw[i] = new long[] {
          Integer.toUnsignedLong(table.getInt(base)), // sh_name
          Integer.toUnsignedLong(table.getInt(base + 4)), // sh_type
          table.getLong(base + 0x08), // sh_flags
          table.getLong(base + 0x10), // sh_addr
          table.getLong(base + 0x18), // sh_offset
          table.getLong(base + 0x20)}; // sh_size
    }
    long[] strtab = raw[shstrndx];
    if (strtab[4] < 0 || strtab[5] < 0 || strtab[5] > MAX_SECTION_READ || strtab[4] + strtab[5] > fileSize) {
      return Optional.empty();
    }
    byte[] names = new byte[(int) strtab[5]];
    read(channel, strtab[4], names.length).get(names);
    List<Section> sections = new ArrayList<>();
    for (long[] s : raw) {
      sections.add(new Section(nameAt(names, s[0]), (int) s[1], s[2], s[3], s[4], s[5]));
    }
    return Optional.of(new ElfFile(channel, machine, List.copyOf(sections)));
  }

  private static String nameAt(byte[] names, long offset) {
    if (offset < 0 || offset >= names.length) {
      return "";
    }
    int end = (int) offset;
    while (end < names.length && names[end] != 0) {
      end++;
    }
    return new String(names, (int) offset, end - (int) offset, StandardCharsets.US_ASCII);
  }

  /** The {@code e_machine} field, e.g. 62 for x86-64, 183 for AArch64. */
  int machine() {
    return machine;
  }

  List<Section> sections() {
    return sections;
  }

  Optional<Section> section(String name) {
    return sections.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The first {@code max} bytes of a section's contents (empty for a section without file data). */
  byte[] contents(Section section, int max) throws IOException {
    if (section.type() == SHT_NOBITS) {
      return new byte[0];
    }
    long length = Math.min(section.size(), max);
    if (section.offset() < 0 || length < 0 || section.offset() + length > channel.size()) {
      throw new IOException("section " + section.name() + " lies outside the file");
    }
    byte[] bytes = new byte[(int) length];
    read(channel, section.offset(), bytes.length).get(bytes);
    return bytes;
  }

  /** Reads {@code length} bytes at a virtual address, from the section whose file data holds them. */
  Optional<byte[]> readAddress(long address, int length) throws IOException {
    for (Section section : sections) {
      if (section.containsAddress(address, length)) {
        byte[] bytes = new byte[length];
        read(channel, section.offset() + (address - section.addr()), length).get(bytes);
        return Optional.of(bytes);
      }
    }
    return Optional.empty();
  }

  private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("unexpected end of file at " + (position + buffer.position()));
      }
    }
    return buffer.flip();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
