package dev.gopherscope.sidecar.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.S3Server;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The object store goes down while artifacts are being uploaded (DESIGN invariant 7): every
 * artifact arrives afterwards with the right sha256; if the deadline passes first, the upload says
 * so and the spool still holds the bytes. The store is a real s3proxy, stopped and restarted on the
 * same port over the same data. 30 s by default ({@code -Dgopherscope.outageSeconds}); runs under
 * {@code make it-faults}. {@link ObjectStoreOutageIT} covers the deadline passing first.
 */
class ObjectStoreOutageFaultIT {

  private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("gopherscope.outageSeconds", 30));
  static final String BUCKET = "outage";

  @Test
  void everyArtifactArrivesIntactAfterTheOutage() throws Exception {
    Path data = Files.createTempDirectory("outage-s3");
    S3Server store = S3Server.restartable(0, data, "outage", "outage-secret");
    int port = store.port();
    try (S3Client s3 = store.newClient()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
    ArtifactSpool spool = new ArtifactSpool(Files.createTempDirectory("outage-spool"));
    List<SpooledArtifact> artifacts = new ArrayList<>();
    Map<String, URI> urls = new LinkedHashMap<>();
    Random random = new Random(7);
    for (int i = 1; i <= 3; i++) {
      byte[] content = new byte[1024 * 1024 + i];
      random.nextBytes(content);
      SpooledArtifact artifact = spool.write("goroutines-" + i + ".pb.gz", "Goroutines", "application/octet-stream",
          content);
      artifacts.add(artifact);
      urls.put(artifact.name(), presign(store, artifact.name(), artifact.contentType()));
    }

    store.close();
    long down = System.nanoTime();
    PresignedUploader uploader = new PresignedUploader(urls, Instant.now().plus(OUTAGE).plusSeconds(60),
        Clock.systemUTC());
    CompletableFuture<Void> uploads = CompletableFuture.runAsync(() -> artifacts.forEach(uploader::upload));
    Thread.sleep(OUTAGE.toMillis());
    assertThat(uploads).as("nothing can arrive while the store is down").isNotDone();
    S3Server back = S3Server.restartable(port, data, "outage", "outage-secret");
    try {
      uploads.get(60, TimeUnit.SECONDS);
      System.out.printf("[fault] object store down %.1f s; all %d artifacts arrived %.1f s after it came back, 0 bytes lost%n",
          OUTAGE.toMillis() / 1000.0, artifacts.size(), (System.nanoTime() - down) / 1e9 - OUTAGE.toSeconds());
      try (S3Client s3 = back.newClient()) {
        for (SpooledArtifact artifact : artifacts) {
          byte[] stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("t/" + artifact.name())).asByteArray();
          assertThat(sha256(stored)).as(artifact.name()).isEqualTo(artifact.sha256());
          assertThat((long) stored.length).isEqualTo(artifact.bytes());
        }
      }
    } finally {
      back.close();
    }
  }

  static URI presign(S3Server store, String name, String contentType) {
    try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
        .endpointOverride(store.endpoint())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(store.accessKey(), store.secretKey())))
        .build()) {
      return URI.create(presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(10))
          .putObjectRequest(r -> r.bucket(BUCKET).key("t/" + name).contentType(contentType))).url().toString());
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
