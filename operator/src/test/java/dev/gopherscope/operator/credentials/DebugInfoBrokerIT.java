package dev.gopherscope.operator.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.contract.PublishedDebugInfo;
import dev.gopherscope.operator.SessionNames;
import dev.gopherscope.operator.config.OperatorConfig;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.S3Server;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The operator's answers to sidecars' requests for debug info, against the real API server and
 * object store: a presigned URL that fetches exactly the published object, word of where nothing
 * is published, one answer per build ID, and nothing at all for a build ID that could steer the key.
 */
@ExtendWith(RealComponentsExtension.class)
class DebugInfoBrokerIT {

  private static final String PUBLISHED = "30769fcfd37616776863bc39eb233fe814c76673";
  private static final String UNPUBLISHED = "ab/cd-ef_12/34/56";

  private KubernetesClient client;
  private S3Server s3;
  private ObjectStore store;
  private String bucket;
  private DebugSession session;

  @BeforeEach
  void createSession(KubernetesClient client, S3Server s3) {
    this.client = client;
    this.s3 = s3;
    DebugSessionCrd.install(client);
    bucket = "debuginfo-" + Long.toHexString(System.nanoTime());
    store = new ObjectStore(new OperatorConfig.ObjectStore(Optional.of(s3.endpoint()), bucket, "us-east-1",
        s3.accessKey(), s3.secretKey(), true));
    store.ensureBucket(bucket);
    String namespace = "broker-" + Long.toHexString(System.nanoTime());
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    DebugSession loaded = client.resources(DebugSession.class).load(new ByteArrayInputStream("""
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: stripped}
        spec:
          target: {podName: checkout-0}
          captures: [{kind: Snapshot, location: main.sleepFor}]
        """.getBytes(StandardCharsets.UTF_8))).item();
    session = client.resources(DebugSession.class).inNamespace(namespace).resource(loaded).create();
  }

  @Test
  void aPublishedBuildGetsAUrlForExactlyItsObjectAndAnUnpublishedOneWhereToPutIt() throws Exception {
    byte[] debugInfo = "not really DWARF, but the bytes must come back as put".getBytes(StandardCharsets.UTF_8);
    try (S3Client s3Client = s3.newClient()) {
      s3Client.putObject(r -> r.bucket(bucket).key("debuginfo/" + PUBLISHED + "/debuginfo"),
          RequestBody.fromBytes(debugInfo));
    }
    DebugInfoBroker broker = new DebugInfoBroker(client, store);

    broker.answer(session, PUBLISHED);
    broker.answer(session, UNPUBLISHED);

    String url = answer(PUBLISHED);
    assertThat(url).startsWith(s3.endpoint().toString()).contains("X-Amz-Signature=");
    HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(fetched.body()).isEqualTo(debugInfo);
    assertThat(answer(UNPUBLISHED)).isEqualTo(PublishedDebugInfo.ABSENT + "s3://" + bucket + "/debuginfo/"
        + UNPUBLISHED + "/debuginfo");
    Secret secret = secret();
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(session.getMetadata().getUid()));
    assertThat(secret.getMetadata().getLabels()).containsEntry(SessionNames.SESSION_UID_LABEL,
        session.getMetadata().getUid());

    broker.answer(session, PUBLISHED);
    assertThat(answer(PUBLISHED)).as("answered once, not re-minted on every reconcile").isEqualTo(url);
  }

  @Test
  void aBuildIdThatCouldSteerTheKeyIsNotAnswered() {
    DebugInfoBroker broker = new DebugInfoBroker(client, store);

    broker.answer(session, "../../reports/x");
    broker.answer(session, "30769fcf?versionId=1");

    assertThat(secret()).isNull();
  }

  private Secret secret() {
    return client.secrets().inNamespace(session.getMetadata().getNamespace())
        .withName(SessionNames.debugInfoSecret(session)).get();
  }

  private String answer(String buildId) {
    String encoded = secret().getData().get(PublishedDebugInfo.secretKey(buildId));
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }
}
