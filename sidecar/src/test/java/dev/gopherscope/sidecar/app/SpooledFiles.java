package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.SidecarReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Checks on what a session left in its output directory: intact artifacts, no half-written files. */
final class SpooledFiles {

  private SpooledFiles() {
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every artifact the report lists is in {@code dir} with the size and sha256 the report gives. */
  static void assertIntact(Path dir, List<SidecarReport.ArtifactRecord> artifacts) throws IOException {
    for (SidecarReport.ArtifactRecord artifact : artifacts) {
      byte[] content = Files.readAllBytes(dir.resolve(artifact.name()));
      assertThat(sha256(content)).as(artifact.name()).isEqualTo(artifact.sha256());
      assertThat((long) content.length).as(artifact.name()).isEqualTo(artifact.bytes());
    }
  }

  /** Files the spool writes before renaming them into place; none may be left. */
  static List<String> partials(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".partial")).toList();
    }
  }
}
