package dev.gopherscope.sidecar.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The identity of a binary's build, as debuggers look separate debug info up by it: the GNU build
 * ID ({@code .note.gnu.build-id}, which Go 1.24+ writes by default and {@code -ldflags=-B=gobuildid}
 * adds on older Go) when there is one, else Go's own ({@code .note.go.buildid}, what
 * {@code go tool buildid} prints). Both survive stripping, and split debug info
 * ({@code objcopy --only-keep-debug}) keeps the notes, so a debug file names the build it belongs to.
 *
 * @param value 40 hex digits (GNU), or Go's slash-separated build ID
 */
public record BuildId(String value, Kind kind) {

  /** Which note the ID came from. */
  public enum Kind {
    GNU, GO
  }

  private static final int NT_GNU_BUILD_ID = 3;
  private static final int NT_GO_BUILD_ID = 4;
  private static final int MAX_NOTE = 4096;

  /**
   * Reads the build ID of the ELF file at {@code file}.
   *
   * @return empty when the file is not a 64-bit little-endian ELF or carries neither note
   * @throws IOException if the file cannot be read
   */
  public static Optional<BuildId> read(Path file) throws IOException {
    Optional<ElfFile> opened = ElfFile.open(file);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    try (ElfFile elf = opened.get()) {
      Optional<byte[]> gnu = note(elf, ".note.gnu.build-id", "GNU", NT_GNU_BUILD_ID);
      if (gnu.isPresent() && gnu.get().length > 0) {
        return Optional.of(new BuildId(HexFormat.of().formatHex(gnu.get()), Kind.GNU));
      }
      return note(elf, ".note.go.buildid", "Go", NT_GO_BUILD_ID)
          .map(desc -> new String(desc, StandardCharsets.US_ASCII))
          .filter(id -> !id.isBlank())
          .map(id -> new BuildId(id, Kind.GO));
    }
  }

  /** The descriptor of the first note in {@code section} with this owner and type. */
  private static Optional<byte[]> note(ElfFile elf, String section, String owner, int type) throws IOException {
    Optional<ElfFile.Section> found = elf.section(section);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ByteBuffer notes = ByteBuffer.wrap(elf.contents(found.get(), MAX_NOTE)).order(ByteOrder.LITTLE_ENDIAN);
    while (notes.remaining() >= 12) {
      int nameSize = notes.getInt();
      int descSize = notes.getInt();
      int noteType = notes.getInt();
      int namePadded = align4(nameSize);
      int descPadded = align4(descSize);
      if (nameSize < 0 || descSize < 0 || namePadded + descPadded > notes.remaining()) {
        return Optional.empty();
      }
      byte[] name = new byte[nameSize];
      notes.get(name);
      notes.position(notes.position() + namePadded - nameSize);
      byte[] desc = new byte[descSize];
      notes.get(desc);
      notes.position(notes.position() + descPadded - descSize);
      String nameText = new String(name, StandardCharsets.US_ASCII).replace("\0", "");
      if (nameText.equals(owner) && noteType == type) {
        return Optional.of(desc);
      }
    }
    return Optional.empty();
  }

  private static int align4(int size) {
    return (size + 3) & ~3;
  }

  @Override
  public String toString() {
    return (kind == Kind.GNU ? "GNU build ID " : "Go build ID ") + value;
  }
}
