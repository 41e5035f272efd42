package dev.gopherscope.sidecar.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.testsupport.S3Server;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The object store is down and stays down past the session deadline: the upload says so and the
 * spool still holds the bytes. {@link ObjectStoreOutageFaultIT} covers the store coming back.
 */
class ObjectStoreOutageIT {

  @Test
  void aDeadlineThatPassesDuringTheOutageIsReportedAndTheSpoolKeepsTheBytes() throws Exception {
    Path data = Files.createTempDirectory("outage-s3");
    S3Server store = S3Server.restartable(0, data, "outage", "outage-secret");
    ArtifactSpool spool = new ArtifactSpool(Files.createTempDirectory("outage-spool"));
    SpooledArtifact artifact = spool.write("cpu.pb.gz", "CPUProfile", "application/octet-stream", new byte[4096]);
    URI url = ObjectStoreOutageFaultIT.presign(store, artifact.name(), artifact.contentType());
    store.close();

    PresignedUploader uploader = new PresignedUploader(Map.of(artifact.name(), url), Instant.now().plusSeconds(3),
        Clock.systemUTC());
    assertThatThrownBy(() -> uploader.upload(artifact))
        .isInstanceOf(ArtifactUploader.UploadException.class)
        .hasMessageContaining("gave up uploading cpu.pb.gz")
        .hasMessageContaining("at the session deadline")
        .hasMessageContaining("cannot reach the object store");
    assertThat(Files.size(artifact.file())).isEqualTo(4096);
  }
}
