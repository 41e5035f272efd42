package dev.gopherscope.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.operator.config.OperatorConfig;
import dev.gopherscope.operator.credentials.ObjectStore;
import dev.gopherscope.testsupport.S3Server;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The operator reads sidecar reports from the real object store, but never more than it can hold. */
class ReportCollectorIT {

  @Test
  void aReportOverTheLimitIsRefusedAndANormalOneRead() throws Exception {
    S3Server s3 = S3Server.shared();
    String bucket = "reports-" + Long.toHexString(System.nanoTime());
    ObjectStore store = new ObjectStore(new OperatorConfig.ObjectStore(Optional.of(s3.endpoint()), bucket,
        "us-east-1", s3.accessKey(), s3.secretKey(), true));
    store.ensureBucket(bucket);
    byte[] normal = ContractJson.mapper().writeValueAsBytes(new SidecarReport("ok-0", 1, "go1.26.8", null, null, List.of(), List.of()));
    byte[] huge = new byte[ReportCollector.MAX_REPORT_BYTES + 1];
    try (S3Client client = s3.newClient()) {
      client.putObject(r -> r.bucket(bucket).key("s/ok-0/report.json"), RequestBody.fromBytes(normal));
      client.putObject(r -> r.bucket(bucket).key("s/huge-0/report.json"), RequestBody.fromBytes(huge));
    }
    ReportCollector collector = new ReportCollector(store);

    assertThat(collector.fetch(bucket, "s/", "ok-0")).hasValueSatisfying(r -> assertThat(r.pod()).isEqualTo("ok-0"));
    assertThat(collector.fetch(bucket, "s/", "huge-0")).isEmpty();
    assertThat(collector.fetch(bucket, "s/", "missing-0")).isEmpty();
  }
}
