package dev.gopherscope.sidecar.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A small real filesystem for a spool to fill up: a tmpfs mounted on a directory, unmounted on close. */
final class Tmpfs implements AutoCloseable {

  static final long MIB = 1024 * 1024;

  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts {@code mib} MiB on {@code dir}; skips the test, saying why, where mounting is not permitted. */
  static Tmpfs mount(Path dir, int mib) throws Exception {
    Files.createDirectories(dir);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
    Assumptions.assumeTrue(mounted, "SKIPPED: mount -t tmpfs is not permitted here (" + output + "), so a full spool "
        + "disk cannot be made real on this machine");
    return new Tmpfs(dir);
  }

  Path dir() {
    return dir;
  }

  /** Writes real bytes (tmpfs does not charge a sparse file) until {@code free} is left; returns the ballast size. */
  long fillLeaving(long free) throws IOException {
    long size = Files.getFileStore(dir).getUsableSpace() - free;
    byte[] chunk = new byte[(int) MIB];
    try (OutputStream out = Files.newOutputStream(dir.resolve("ballast"))) {
      for (long written = 0; written < size; written += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
      }
    }
    return size;
  }

  @Override
  public void close() throws Exception {
    Process umount = new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).start();
    umount.getInputStream().readAllBytes();
    umount.waitFor(30, TimeUnit.SECONDS);
  }
}
