package dev.gopherscope.sidecar.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads processes from a {@code /proc} tree. The root is a parameter so that tests can lay out a
 * tree of their own; everything here tolerates processes that exit while being read.
 */
final class ProcFs {

  private final Path root;

  ProcFs(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  List<Long> pids() throws IOException {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          pids.add(Long.parseLong(name));
        }
      }
    }
    pids.sort(null);
    return pids;
  }

  /** The process, or empty if it is gone or its {@code status} cannot be read. */
  Optional<ProcessEntry> entry(long pid) {
    Path dir = root.resolve(Long.toString(pid));
    Optional<String> status = read(dir.resolve("status"));
    if (status.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> exe;
    try {
      exe = Optional.of(Files.readSymbolicLink(dir.resolve("exe")).toString());
    } catch (IOException | UnsupportedOperationException e) {
      exe = Optional.empty(); // a kernel thread, or a process we may not inspect
    }
    String comm = read(dir.resolve("comm")).map(String::strip).orElse("");
    List<String> commandLine = read(dir.resolve("cmdline"))
        .map(s -> s.isEmpty() ? List.<String>of() : Arrays.asList(s.split("\0")))
        .orElse(List.of());
    return Optional.of(new ProcessEntry(pid, statusField(status.get(), "PPid").map(v -> v.get(0)).orElse(0L), exe,
        comm, commandLine, statusField(status.get(), "Uid").orElse(List.of()),
        statusField(status.get(), "Gid").orElse(List.of())));
  }

  /** Where to open the binary of {@code pid}: through {@code /proc}, so it works across mount namespaces. */
  Path exe(long pid) {
    return root.resolve(Long.toString(pid)).resolve("exe");
  }

  /** The numbers of a {@code Key:\tn n n} line of a {@code status} file. */
  static Optional<List<Long>> statusField(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key + ":")) {
        String[] fields = line.substring(key.length() + 1).strip().split("\\s+");
        try {
          return Optional.of(Arrays.stream(fields).map(Long::valueOf).toList());
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** A {@code Key:\thex} line of a {@code status} file, such as {@code CapEff}. */
  static Optional<Long> statusHexField(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key + ":")) {
        try {
          return Optional.of(Long.parseUnsignedLong(line.substring(key.length() + 1).strip(), 16));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  static Optional<String> read(Path file) {
    try {
      return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
