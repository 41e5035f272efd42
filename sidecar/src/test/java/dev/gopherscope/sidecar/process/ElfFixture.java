package dev.gopherscope.sidecar.process;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small ELF64 little-endian files with chosen sections, to exercise build info layouts no
 * Go toolchain on this machine produces any more (the pre-1.18 pointer format).
 */
final class ElfFixture {

  private record Section(String name, long addr, byte[] data) {
  }

  private final List<Section> sections = new ArrayList<>();

  ElfFixture section(String name, long addr, byte[] data) {
    sections.add(new Section(name, addr, data));
    return this;
  }

  byte[] build() {
    ByteArrayOutputStream strtab = new ByteArrayOutputStream();
    strtab.write(0);
    List<Integer> nameOffsets = new ArrayList<>();
    List<Section> all = new ArrayList<>(sections);
    all.add(new Section(".shstrtab", 0, new byte[0]));
    for (Section s : all) {
      nameOffsets.add(strtab.size());
      strtab.writeBytes(s.name().getBytes(StandardCharsets.US_ASCII));
      strtab.write(0);
    }
    byte[] names = strtab.toByteArray();
    all.set(all.size() - 1, new Section(".shstrtab", 0, names));

    int offset = 64;
    List<Integer> offsets = new ArrayList<>();
    for (Section s : all) {
      offsets.add(offset);
      offset += s.data().length;
    }
    int shoff = (offset + 7) & ~7;
    int shnum = all.size() + 1;
    ByteBuffer file = ByteBuffer.allocate(shoff + shnum * 64).order(ByteOrder.LITTLE_ENDIAN);
    file.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
    file.position(16);
    file.putShort((short) 2).putShort((short) 62).putInt(1);
    file.position(0x28);
    file.putLong(shoff);
    file.position(0x34);
    file.putShort((short) 64).putShort((short) 0).putShort((short) 0);
    file.putShort((short) 64).putShort((short) shnum).putShort((short) (shnum - 1));
    for (int i = 0; i < all.size(); i++) {
      file.put(offsets.get(i), all.get(i).data());
    }
    for (int i = 0; i < all.size(); i++) {
      int base = shoff + (i + 1) * 64;
      Section s = all.get(i);
      file.putInt(base, nameOffsets.get(i));
      file.putInt(base + 4, s.name().equals(".shstrtab") ? 3 : 1);
      file.putLong(base + 0x10, s.addr());
      file.putLong(base + 0x18, offsets.get(i));
      file.putLong(base + 0x20, s.data().length);
    }
    return file.array();
  }

  /** The 32-byte build info header: magic, pointer size, flags, and 16 bytes the caller fills. */
  static ByteBuffer buildInfoHeader(int flags, int size) {
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.put("\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1));
    b.put((byte) 8).put((byte) flags);
    return b;
  }

  /** Module info as Go's linker frames it: 16 sentinel bytes, the text, 16 more. */
  static byte[] modinfo(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] sentinel = {0x30, 0x77, (byte) 0xaf, 0x0c, (byte) 0x92, 0x74, 0x08, 0x02, 0x41, (byte) 0xe1,
        (byte) 0xc1, 0x07, (byte) 0xe6, (byte) 0xd6, 0x18, (byte) 0xe6};
    out.writeBytes(sentinel);
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(new byte[] {(byte) 0xf9, 0x32, 0x43, 0x31, (byte) 0x86, 0x18, 0x20, 0x72, 0x00, (byte) 0x82,
        0x42, 0x10, 0x41, 0x16, (byte) 0xd8, (byte) 0xf2});
    return out.toByteArray();
  }
}
