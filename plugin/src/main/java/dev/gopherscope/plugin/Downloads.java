package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.ArtifactState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Copies a session's artifacts to {@code <dir>/<pod>/<name>}, each checked against the sha256 the
 * status records; a file already there with that sha256 is kept. A file that does not match is
 * not left behind.
 */
final class Downloads {

  /** Names come from the status, which sidecars write: no path separators, no dot-only names. */
  private static final Pattern SAFE_NAME = Pattern.compile("^(?!\\.{1,2}$)[A-Za-z0-9._-]{1,253}$");

  record Fetched(Artifact artifact, Path file, boolean cached) {
  }

  private final ArtifactStore store;
  private final Path dir;
  private final List<Fetched> fetched = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  Downloads(ArtifactStore store, Path dir) {
    this.store = store;
    this.dir = dir;
  }

  Downloads fetchAll(List<Artifact> artifacts) {
    for (Artifact artifact : artifacts) {
      String where = artifact.getPod() + "/" + artifact.getName();
      if (artifact.getState() != null && artifact.getState() != ArtifactState.Uploaded) {
        problems.add(where + " was not uploaded (" + artifact.getState()
            + (artifact.getMessage() == null ? "" : ": " + artifact.getMessage()) + ")");
        continue;
      }
      if (!SAFE_NAME.matcher(String.valueOf(artifact.getPod())).matches()
          || !SAFE_NAME.matcher(String.valueOf(artifact.getName())).matches()) {
        problems.add("skipped an artifact with an unsafe file name: " + where);
        continue;
      }
      try {
        fetched.add(fetch(artifact));
      } catch (StoreUnreachableException e) {
        throw new UserError(e.getMessage(), e);
      } catch (IOException | IllegalArgumentException e) {
        problems.add(where + ": " + e.getMessage());
      }
    }
    return this;
  }

  private Fetched fetch(Artifact artifact) throws IOException {
    Path file = dir.resolve(artifact.getPod()).resolve(artifact.getName());
    if (artifact.getSha256() != null && Files.isRegularFile(file) && artifact.getSha256().equals(sha256(file))) {
      return new Fetched(artifact, file, true);
    }
    S3Uri uri = S3Uri.parse(artifact.getUri());
    Files.createDirectories(file.getParent());
    Path part = file.resolveSibling(file.getFileName() + ".part");
    MessageDigest digest = sha256();
    try (InputStream in = new DigestInputStream(store.open(uri.bucket(), uri.key()), digest);
         OutputStream out = Files.newOutputStream(part)) {
      in.transferTo(out);
    } catch (IOException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (artifact.getSha256() != null && !artifact.getSha256().equals(actual)) {
      Files.deleteIfExists(part);
      throw new IOException("sha256 mismatch: the status says " + artifact.getSha256() + ", the store gave "
          + actual + " (not kept)");
    }
    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Fetched(artifact, file, false);
  }

  List<Fetched> fetched() {
    return fetched;
  }

  List<String> problems() {
    return problems;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code s3://bucket/key}, as the status records where an artifact is. */
  record S3Uri(String bucket, String key) {
    static S3Uri parse(String uri) {
      if (uri == null || !uri.startsWith("s3://") || uri.indexOf('/', 5) < 0) {
        throw new IllegalArgumentException("not an s3://bucket/key location: " + uri);
      }
      int slash = uri.indexOf('/', 5);
      return new S3Uri(uri.substring(5, slash), uri.substring(slash + 1));
    }
  }
}
