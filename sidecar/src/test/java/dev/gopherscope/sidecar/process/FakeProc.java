package dev.gopherscope.sidecar.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code /proc} tree laid out by a test: the files the sidecar reads, with {@code exe} as a real symlink. */
final class FakeProc {

  private final Path root;

  FakeProc(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** A process running {@code exe} (null for a kernel thread, which has no exe link). */
  FakeProc process(long pid, long parent, Path exe, String comm, long uid) {
    try {
      Path dir = Files.createDirectories(root.resolve(Long.toString(pid)));
      if (exe != null) {
        Files.createSymbolicLink(dir.resolve("exe"), exe);
      }
      Files.writeString(dir.resolve("comm"), comm + "\n");
      Files.write(dir.resolve("cmdline"), ((exe == null ? "" : exe.toString()) + "\0-flag\0").getBytes(StandardCharsets.UTF_8));
      Files.writeString(dir.resolve("status"), "Name:\t" + comm + "\nState:\tS (sleeping)\nPPid:\t" + parent
          + "\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\nGid:\t" + uid + "\t" + uid + "\t" + uid
          + "\t" + uid + "\nCapEff:\t0000000000000000\n");
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces the {@code CapEff} line of {@code pid}'s status. */
  FakeProc capabilities(long pid, long capEff) throws IOException {
    Path status = root.resolve(Long.toString(pid)).resolve("status");
    Files.writeString(status, Files.readString(status).replaceAll("CapEff:\t\\w+", "CapEff:\t" + Long.toHexString(capEff)));
    return this;
  }

  /**
   * Deletes the symbolic links under {@code dir}, so that JUnit's temp dir cleanup finds none
   * pointing outside it (it warns about each).
   */
  static void deleteLinks(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.filter(Files::isSymbolicLink).toList()) {
        Files.delete(path);
      }
    }
  }

  FakeProc ptraceScope(int scope) throws IOException {
    Path file = root.resolve("sys/kernel/yama/ptrace_scope");
    Files.createDirectories(file.getParent());
    Files.writeString(file, scope + "\n");
    return this;
  }
}
