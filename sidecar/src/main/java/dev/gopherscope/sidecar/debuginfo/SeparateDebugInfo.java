package dev.gopherscope.sidecar.debuginfo;

import dev.gopherscope.sidecar.debuginfo.DebugInfoException.Reason;
import dev.gopherscope.sidecar.process.BuildId;
import dev.gopherscope.sidecar.process.DebugInfoSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A stripped target's debug info, checked against the target and laid out where dlv looks for it:
 * dlv searches the directories of its {@code debug-info-directories} setting for
 * {@code .build-id/<first 2 hex>/<rest>.debug} when the binary has a GNU build ID, and for
 * {@code <executable name>.debug} otherwise; the setting is read from
 * {@code $XDG_CONFIG_HOME/dlv/config.yml}, so dlv runs with {@link #dlvEnvironment()}. dlv itself
 * checks nothing, so the build ID is checked here: wrong debug info would show wrong variables.
 *
 * @param directory everything this holds, removed by {@link #delete()}
 * @param file the debug file as dlv finds it
 * @param dwarfBytes the DWARF it carries, inflated (the attach pause grows with it)
 * @param origin where it came from, for messages
 */
public record SeparateDebugInfo(Path directory, Path file, long dwarfBytes, String origin) {

  /**
   * Checks {@code fetched} against the target's {@code expected} build ID and lays it out under
   * {@code directory} (whose path must not contain "build-id": dlv skips such directories in its
   * executable-name lookup).
   *
   * @param executableName the target's executable name, which dlv may use in the lookup
   * @throws DebugInfoException when the file is not this build's debug info or has no DWARF
   */
  public static SeparateDebugInfo prepare(Path directory, DebugInfoSource.Fetched fetched, BuildId expected,
      String executableName) {
    try {
      BuildId found = BuildId.read(fetched.file()).orElseThrow(() -> new DebugInfoException(Reason.DebugInfoMismatch,
          fetched.origin() + " is not a 64-bit ELF file with a build ID, so it is not debug info for " + expected));
      if (!found.equals(expected)) {
        throw new DebugInfoException(Reason.DebugInfoMismatch, fetched.origin() + " belongs to " + found
            + ", not to the target's " + expected + "; publish the debug info of the very build that runs");
      }
      long dwarf = DebugInfoSize.inflatedBytes(fetched.file()).orElse(0L);
      if (dwarf == 0) {
        throw new DebugInfoException(Reason.DebugInfoMismatch, fetched.origin() + " has the target's " + expected
            + " but no DWARF: publish the binary before stripping, or objcopy --only-keep-debug's output");
      }
      Path searched = directory.resolve("dirs");
      Path placed = expected.kind() == BuildId.Kind.GNU
          ? searched.resolve(".build-id").resolve(expected.value().substring(0, 2))
              .resolve(expected.value().substring(2) + ".debug")
          : searched.resolve(executableName + ".debug");
      place(fetched.file(), placed);
      if (expected.kind() == BuildId.Kind.GO) {
        // dlv names the executable after /proc/PID/exe's target when it can resolve that path in
        // this container's filesystem, and "exe" when it cannot (the usual case in a pod).
        place(fetched.file(), searched.resolve("exe.debug"));
      }
      Path config = directory.resolve("config").resolve("dlv").resolve("config.yml");
      Files.createDirectories(config.getParent());
      Files.writeString(config, "debug-info-directories: [\"" + searched + "\"]\n", StandardCharsets.UTF_8);
      return new SeparateDebugInfo(directory, placed, dwarf, fetched.origin());
    } catch (IOException e) {
      throw new DebugInfoException(Reason.DebugInfoUnavailable, "cannot lay out the debug info from "
          + fetched.origin() + " for dlv in " + directory + ": " + e.getMessage(), e);
    }
  }

  /** What dlv must run with to find this debug info. */
  public Map<String, String> dlvEnvironment() {
    return Map.of("XDG_CONFIG_HOME", directory.resolve("config").toString());
  }

  /** {@code 12.3 MiB of DWARF from s3://...}. */
  public String describe() {
    return String.format(Locale.ROOT, "%.1f MiB of DWARF from %s", dwarfBytes / (1024.0 * 1024.0), origin);
  }

  /** Removes the laid-out files (a downloaded debug file among them); best effort. */
  public void delete() {
    try (Stream<Path> all = Files.walk(directory)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Left in the sidecar's own filesystem, which goes with its container.
    }
  }

  private static void place(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try {
      Files.createLink(target, source);
    } catch (IOException | UnsupportedOperationException e) {
      Files.createSymbolicLink(target, source.toAbsolutePath());
    }
  }
}
