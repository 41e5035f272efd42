package dev.gopherscope.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.ArtifactState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is kept, what is refused and what is said, with an in-memory store standing in for S3. */
class DownloadsTest {

  @TempDir
  Path dir;

  private final Map<String, byte[]> objects = new HashMap<>();
  private int reads;

  private final ArtifactStore store = new ArtifactStore() {
    @Override
    public InputStream open(String bucket, String key) throws IOException {
      reads++;
      byte[] bytes = objects.get(bucket + "/" + key);
      if (bytes == null) {
        throw new IOException("no object s3://" + bucket + "/" + key);
      }
      return new ByteArrayInputStream(bytes);
    }

    @Override
    public String describe() {
      return "memory";
    }

    @Override
    public void close() {
    }
  };

  private Artifact artifact(String pod, String name, String content, String sha256) {
    objects.put("b/k/" + pod + "/" + name, content.getBytes(StandardCharsets.UTF_8));
    Artifact a = new Artifact();
    a.setPod(pod);
    a.setName(name);
    a.setUri("s3://b/k/" + pod + "/" + name);
    a.setSha256(sha256);
    a.setState(ArtifactState.Uploaded);
    return a;
  }

  private static String sha256(String content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void keepsMatchingFilesAndFetchesThemOnce() throws Exception {
    Artifact a = artifact("pod-a", "goroutines-1.json", "{}", sha256("{}"));
    Downloads first = new Downloads(store, dir).fetchAll(List.of(a));
    assertThat(first.problems()).isEmpty();
    assertThat(dir.resolve("pod-a/goroutines-1.json")).hasContent("{}");
    Downloads second = new Downloads(store, dir).fetchAll(List.of(a));
    assertThat(second.fetched()).singleElement().satisfies(f -> assertThat(f.cached()).isTrue());
    assertThat(reads).isEqualTo(1);
  }

  @Test
  void aFileWhoseSha256DiffersIsNotKept() throws Exception {
    Artifact a = artifact("pod-a", "cpu.pb.gz", "tampered", sha256("original"));
    Downloads d = new Downloads(store, dir).fetchAll(List.of(a));
    assertThat(d.fetched()).isEmpty();
    assertThat(d.problems()).singleElement().asString()
        .startsWith("pod-a/cpu.pb.gz: sha256 mismatch: the status says " + sha256("original"));
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void namesThatWouldLeaveTheDirectoryAndArtifactsNeverUploadedAreRefused() {
    Artifact escape = artifact("..", "passwd", "x", null);
    Artifact nested = artifact("pod-a", "../../x", "x", null);
    Artifact failed = artifact("pod-a", "heap.pb.gz", "x", null);
    failed.setState(ArtifactState.Failed);
    failed.setMessage("store refused the upload");
    Downloads d = new Downloads(store, dir).fetchAll(List.of(escape, nested, failed));
    assertThat(d.fetched()).isEmpty();
    assertThat(d.problems()).containsExactly("skipped an artifact with an unsafe file name: ../passwd",
        "skipped an artifact with an unsafe file name: pod-a/../../x",
        "pod-a/heap.pb.gz was not uploaded (Failed: store refused the upload)");
    assertThat(reads).isZero();
  }

  @Test
  void anUnreachableStoreStopsTheDownloadWithItsReason() {
    ArtifactStore down = new ArtifactStore() {
      @Override
      public InputStream open(String bucket, String key) throws IOException {
        throw new StoreUnreachableException("object store unreachable: S3 at http://127.0.0.1:9 (connection refused)", null);
      }

      @Override
      public String describe() {
        return "down";
      }

      @Override
      public void close() {
      }
    };
    assertThatThrownBy(() -> new Downloads(down, dir).fetchAll(List.of(artifact("p", "a.json", "{}", null))))
        .isInstanceOf(UserError.class).hasMessage("object store unreachable: S3 at http://127.0.0.1:9 (connection refused)");
  }
}
