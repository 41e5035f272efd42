package dev.gopherscope.sidecar.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Local disk where artifacts land before upload (DESIGN invariant 7: nothing captured is lost to
 * an object-store outage). Writes go to a temporary file and are renamed into place, so a crash
 * never leaves half an artifact under its real name; a full disk is a clear error.
 */
public final class ArtifactSpool {

  /** Refuse to start a write with less free space than this, rather than fill the pod's disk. */
  static final long MIN_FREE_BYTES = 16L * 1024 * 1024;
  /**
   * The report may dip into that reserve down to this: it is a few KiB, and a session whose spool
   * filled up must still be able to say so and list what it kept.
   */
  static final long REPORT_MIN_FREE_BYTES = 1024L * 1024;

  private final Path dir;

  public ArtifactSpool(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the spool directory " + dir + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Writes an artifact through {@code writer}, computing its size and sha256 on the way. */
  public SpooledArtifact write(String name, String kind, String contentType, ArtifactWriter writer) {
    return write(name, kind, contentType, writer, MIN_FREE_BYTES);
  }

  /** Writes the session's report, which may use the reserve other artifacts leave free. */
  public SpooledArtifact writeReport(String name, String kind, String contentType, byte[] content) {
    return write(name, kind, contentType, out -> out.write(content), REPORT_MIN_FREE_BYTES);
  }

  private SpooledArtifact write(String name, String kind, String contentType, ArtifactWriter writer, long minFree) {
    if (name.contains("/") || name.startsWith(".")) {
      throw new IllegalArgumentException("artifact names are plain file names: " + name);
    }
    Path target = dir.resolve(name);
    Path partial = dir.resolve("." + name + ".partial");
    try {
      FileStore store = Files.getFileStore(dir);
      long free = store.getUsableSpace();
      if (free < minFree) {
        throw new SpoolFullException("the spool " + dir + " has only " + free / 1024 + " KiB free (the sidecar keeps "
            + minFree / 1024 / 1024 + " MiB free); refusing to write " + name + " rather than fill the disk");
      }
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      try (OutputStream file = Files.newOutputStream(partial);
           DigestOutputStream out = new DigestOutputStream(file, sha256)) {
        writer.writeTo(out);
      }
      long bytes = Files.size(partial);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new SpooledArtifact(name, kind, target, bytes, HexFormat.of().formatHex(sha256.digest()), contentType);
    } catch (IOException e) {
      deleteQuietly(partial);
      if (e.getMessage() != null && e.getMessage().contains("No space left")) {
        throw new SpoolFullException("the spool " + dir + " filled up while writing " + name + "; the partial "
            + "file was removed", e);
      }
      throw new UncheckedIOException("cannot write " + name + " to the spool: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public SpooledArtifact write(String name, String kind, String contentType, byte[] content) {
    return write(name, kind, contentType, out -> out.write(content));
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // The partial file is hidden and overwritten by the next attempt anyway.
    }
  }

  /** Streams an artifact's content. */
  @FunctionalInterface
  public interface ArtifactWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The spool's disk is full: the capture fails cleanly, the target is untouched. */
  public static final class SpoolFullException extends RuntimeException {
    public SpoolFullException(String message) {
      super(message);
    }

    public SpoolFullException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
