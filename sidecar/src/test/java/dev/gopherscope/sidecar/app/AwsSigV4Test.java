package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Our signer against the AWS SDK's own (on the test classpath only) for the same request. */
class AwsSigV4Test {

  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  private static final String BODY = "{\"traces\":[]}";

  @Test
  void signsAPutExactlyAsTheAwsSdkDoes() {
    URI uri = URI.create("http://127.0.0.1:9000/my-bucket/sessions/pod-0/trace%20stacks.json");
    AwsSigV4.Credentials credentials = new AwsSigV4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Optional.empty());

    Map<String, String> ours = new AwsSigV4(credentials, "eu-west-1", "s3")
        .sign("PUT", uri, "application/json", sha256(BODY), NOW);

    SignedRequest theirs = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(uri)
            .putHeader("Content-Type", "application/json").build())
        .payload(ContentStreamProvider.fromUtf8String(BODY))
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));

    assertThat(ours.get("Authorization")).isEqualTo(theirs.request().firstMatchingHeader("Authorization").orElseThrow());
    assertThat(ours.get("x-amz-date")).isEqualTo("20260304T050607Z");
    assertThat(ours.get("x-amz-content-sha256")).isEqualTo(sha256(BODY));
  }

  @Test
  void aSessionTokenIsSentAndSigned() {
    URI uri = URI.create("https://s3.eu-west-1.amazonaws.com/b/k");
    AwsSigV4.Credentials credentials = new AwsSigV4.Credentials("AK", "SK", Optional.of("TOKEN"));

    Map<String, String> ours = new AwsSigV4(credentials, "eu-west-1", "s3")
        .sign("PUT", uri, "application/octet-stream", sha256(BODY), NOW);

    SignedRequest theirs = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsSessionCredentialsIdentity.create("AK", "SK", "TOKEN"))
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(uri)
            .putHeader("Content-Type", "application/octet-stream").build())
        .payload(ContentStreamProvider.fromUtf8String(BODY))
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));

    assertThat(ours).containsEntry("x-amz-security-token", "TOKEN");
    assertThat(ours.get("Authorization")).isEqualTo(theirs.request().firstMatchingHeader("Authorization").orElseThrow());
  }

  @Test
  void keysAreEncodedSegmentBySegment() {
    assertThat(AwsSigV4.encodeSegment("trace stacks+ü.json")).isEqualTo("trace%20stacks%2B%C3%BC.json");
    assertThat(AwsSigV4.encodeSegment("a-b_c.d~e")).isEqualTo("a-b_c.d~e");
    assertThat(AwsSigV4.host(URI.create("http://127.0.0.1:9000/x"))).isEqualTo("127.0.0.1:9000");
    assertThat(AwsSigV4.host(URI.create("https://s3.amazonaws.com:443/x"))).isEqualTo("s3.amazonaws.com");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
