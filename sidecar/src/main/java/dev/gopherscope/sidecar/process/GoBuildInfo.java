package dev.gopherscope.sidecar.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * What a Go binary says about itself in its {@code .go.buildinfo} section, plus whether it still
 * carries DWARF (Delve needs it; pprof does not).
 *
 * <p>The section starts with a 32-byte header: the magic {@code "\xff Go buildinf:"}, the pointer
 * size, and a flags byte. Since Go 1.18 (flag bit 2) the version and module info follow the header
 * inline as uvarint-length-prefixed strings. Before that, the header holds two pointers to Go
 * string headers elsewhere in the binary, which have to be followed through the section table.
 *
 * @param goVersion e.g. {@code go1.26.8} ({@code devel go1.27-...} from a development toolchain)
 * @param mainPackage the main package's import path ({@code path} line of the module info), or empty
 * @param modulePath the main module's path ({@code mod} line), or empty (e.g. built outside a module)
 * @param hasDebugInfo whether {@code .debug_info} or {@code .zdebug_info} is present
 * @param goArch the GOARCH the ELF machine field names, e.g. {@code amd64}
 */
public record GoBuildInfo(String goVersion, String mainPackage, String modulePath, boolean hasDebugInfo,
    String goArch) {

  private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
  private static final int HEADER_SIZE = 32;
  private static final int FLAG_BIG_ENDIAN = 1;
  private static final int FLAG_INLINE_STRINGS = 2;
  /** Go's linker frames the module info with 16 sentinel bytes on each side. */
  private static final int MODINFO_SENTINEL = 16;
  private static final int MAX_STRING = ElfFile.MAX_SECTION_READ;

  private static final Map<Integer, String> GOARCH_BY_MACHINE = Map.of(
      62, "amd64", 183, "arm64", 21, "ppc64le", 243, "riscv64", 258, "loong64", 3, "386", 40, "arm");

  /**
   * Reads the build info of the binary at {@code file}, e.g. {@code /proc/<pid>/exe}.
   *
   * @return empty if the file is not a 64-bit little-endian ELF with a Go build info section
   * @throws IOException if the file cannot be read
   */
  public static Optional<GoBuildInfo> read(Path file) throws IOException {
    Optional<ElfFile> opened = ElfFile.open(file);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    try (ElfFile elf = opened.get()) {
      Optional<ElfFile.Section> section = elf.section(".go.buildinfo");
      if (section.isEmpty()) {
        return Optional.empty();
      }
      byte[] data = elf.contents(section.get(), ElfFile.MAX_SECTION_READ);
      if (data.length < HEADER_SIZE || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
        return Optional.empty();
      }
      int ptrSize = data[14];
      int flags = data[15];
      Optional<byte[][]> strings = (flags & FLAG_INLINE_STRINGS) != 0
          ? inlineStrings(data)
          : pointedStrings(elf, data, ptrSize, (flags & FLAG_BIG_ENDIAN) != 0);
      if (strings.isEmpty()) {
        return Optional.empty();
      }
      String version = new String(strings.get()[0], StandardCharsets.UTF_8);
      if (!version.startsWith("go") && !version.startsWith("devel")) {
        return Optional.empty();
      }
      String modinfo = withoutSentinels(strings.get()[1]);
      boolean dwarf = elf.section(".debug_info").isPresent() || elf.section(".zdebug_info").isPresent();
      String arch = GOARCH_BY_MACHINE.getOrDefault(elf.machine(), "elf-machine-" + elf.machine());
      return Optional.of(new GoBuildInfo(version, field(modinfo, "path"), field(modinfo, "mod"), dwarf, arch));
    }
  }

  /** Go ≥ 1.18: version then module info, each a uvarint length and that many bytes, after the header. */
  private static Optional<byte[][]> inlineStrings(byte[] data) {
    int[] position = {HEADER_SIZE};
    Optional<byte[]> version = varintString(data, position);
    Optional<byte[]> modinfo = version.flatMap(v -> varintString(data, position));
    return version.map(v -> new byte[][] {v, modinfo.orElse(new byte[0])});
  }

  private static Optional<byte[]> varintString(byte[] data, int[] position) {
    long length = 0;
    int shift = 0;
    int p = position[0];
    while (true) {
      if (p >= data.length || shift > 63) {
        return Optional.empty();
      }
      int b = data[p++] & 0xff;
      length |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        break;
      }
      shift += 7;
    }
    if (length < 0 || length > MAX_STRING || p + length > data.length) {
      return Optional.empty();
    }
    position[0] = p + (int) length;
    return Optional.of(Arrays.copyOfRange(data, p, p + (int) length));
  }

  /** Before Go 1.18: two pointers in the header, each to a Go string header {data, len}. */
  private static Optional<byte[][]> pointedStrings(ElfFile elf, byte[] header, int ptrSize, boolean bigEndian)
      throws IOException {
    if (ptrSize != 4 && ptrSize != 8) {
      return Optional.empty();
    }
    ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer pointers = ByteBuffer.wrap(header, 16, 2 * ptrSize).order(order);
    Optional<byte[]> version = goString(elf, pointer(pointers, ptrSize), ptrSize, order);
    if (version.isEmpty()) {
      return Optional.empty();
    }
    Optional<byte[]> modinfo = goString(elf, pointer(pointers, ptrSize), ptrSize, order);
    return Optional.of(new byte[][] {version.get(), modinfo.orElse(new byte[0])});
  }

  private static Optional<byte[]> goString(ElfFile elf, long address, int ptrSize, ByteOrder order)
      throws IOException {
    Optional<byte[]> stringHeader = elf.readAddress(address, 2 * ptrSize);
    if (stringHeader.isEmpty()) {
      return Optional.empty();
    }
    ByteBuffer fields = ByteBuffer.wrap(stringHeader.get()).order(order);
    long data = pointer(fields, ptrSize);
    long length = pointer(fields, ptrSize);
    if (length < 0 || length > MAX_STRING) {
      return Optional.empty();
    }
    return length == 0 ? Optional.of(new byte[0]) : elf.readAddress(data, (int) length);
  }

  private static long pointer(ByteBuffer buffer, int ptrSize) {
    return ptrSize == 8 ? buffer.getLong() : Integer.toUnsignedLong(buffer.getInt());
  }

  /** The sentinels are arbitrary bytes, so they are cut before decoding, which could change lengths. */
  private static String withoutSentinels(byte[] modinfo) {
    int n = modinfo.length;
    if (n >= 2 * MODINFO_SENTINEL + 1 && modinfo[n - MODINFO_SENTINEL - 1] == '\n') {
      return new String(modinfo, MODINFO_SENTINEL, n - 2 * MODINFO_SENTINEL, StandardCharsets.UTF_8);
    }
    return "";
  }

  private static String field(String modinfo, String key) {
    for (String line : modinfo.split("\n")) {
      String[] parts = line.split("\t");
      if (parts.length >= 2 && parts[0].equals(key)) {
        return parts[1];
      }
    }
    return "";
  }
}
