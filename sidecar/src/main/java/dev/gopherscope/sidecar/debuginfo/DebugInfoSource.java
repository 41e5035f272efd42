package dev.gopherscope.sidecar.debuginfo;

import dev.gopherscope.sidecar.process.BuildId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Where debug info for a stripped target comes from: the object store in a pod, a file in local mode. */
public interface DebugInfoSource {

  /** A debug file and where it came from, for the status ({@code s3://bucket/debuginfo/<id>/debuginfo}). */
  record Fetched(Path file, String origin) {
  }

  /**
   * The debug file for {@code id}, fetched into {@code dir} when it must be.
   *
   * @throws DebugInfoException when there is none to be had
   */
  Fetched fetch(BuildId id, Path dir, Consumer<String> progress);

  /** No debug info can be had; a stripped target's Delve captures fail with {@code why}. */
  static DebugInfoSource none(String why) {
    return (id, dir, progress) -> {
      throw new DebugInfoException(DebugInfoException.Reason.NoDebugInfo, why);
    };
  }

  /** The debug file the user named (local mode's {@code --debug-info}). */
  static DebugInfoSource file(Path file) {
    return (id, dir, progress) -> {
      if (!Files.isReadable(file)) {
        throw new DebugInfoException(DebugInfoException.Reason.DebugInfoUnavailable, "the debug info file " + file
            + " (--debug-info) cannot be read");
      }
      return new Fetched(file, file.toAbsolutePath().toString());
    };
  }
}
