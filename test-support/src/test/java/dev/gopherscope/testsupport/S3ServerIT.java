package dev.gopherscope.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Proves the embedded object store is a real S3 server: it stores bytes and checks signatures. */
@ExtendWith(RealComponentsExtension.class)
class S3ServerIT {

  @Test
  void putsAndGetsAnObjectByteForByte(S3Client s3) {
    String bucket = "it-bucket-" + System.nanoTime();
    s3.createBucket(b -> b.bucket(bucket));
    byte[] payload = new byte[3 * 1024 * 1024 + 17];
    new Random(42).nextBytes(payload);

    s3.putObject(b -> b.bucket(bucket).key("profiles/goroutine.pb.gz"), RequestBody.fromBytes(payload));
    byte[] back = s3.getObjectAsBytes(b -> b.bucket(bucket).key("profiles/goroutine.pb.gz")).asByteArray();

    assertThat(back).isEqualTo(payload);
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents())
        .singleElement().satisfies(o -> assertThat(o.size()).isEqualTo(payload.length));
  }

  @Test
  void refusesWrongCredentials(S3Server server) {
    try (S3Client intruder = S3Client.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(server.accessKey(), "not-the-secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .build()) {
      assertThatThrownBy(intruder::listBuckets).isInstanceOf(S3Exception.class)
          .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
    }
  }
}
