package dev.gopherscope.sidecar.app;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for requests without query parameters whose payload SHA-256 is known:
 * local mode's single-chunk S3 {@code PUT} of a spooled file, and the kubectl plugin's
 * {@code GET} of an artifact. Written out
 * rather than pulling in the AWS SDK, which would double the sidecar's classpath for one request;
 * it follows AWS's "Create a signed AWS API request" steps: canonical request, string to sign,
 * derived signing key, signature.
 */
public final class AwsSigV4 {

  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  /** Credentials as the AWS CLI reads them from the environment. */
  public record Credentials(String accessKey, String secretKey, Optional<String> sessionToken) {

    /**
     * @throws UsageException if AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is missing
     */
    public static Credentials fromEnvironment(Map<String, String> env) {
      String accessKey = env.get("AWS_ACCESS_KEY_ID");
      String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
      if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
        throw new UsageException("an s3:// --out needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
      }
      return new Credentials(accessKey, secretKey,
          Optional.ofNullable(env.get("AWS_SESSION_TOKEN")).filter(t -> !t.isBlank()));
    }
  }

  private final Credentials credentials;
  private final String region;
  private final String service;

  public AwsSigV4(Credentials credentials, String region, String service) {
    this.credentials = credentials;
    this.region = region;
    this.service = service;
  }

  /**
   * The headers that authenticate a request: {@code x-amz-date}, {@code x-amz-content-sha256},
   * the session token if any, and {@code Authorization}. {@code uri}'s path must already be
   * encoded as it will be sent; the {@code Host} header the HTTP client derives from it is signed.
   */
  public Map<String, String> sign(String method, URI uri, String contentType, String payloadSha256, Instant now) {
    String amzDate = DATE_TIME.format(now);
    String scope = DATE.format(now) + "/" + region + "/" + service + "/aws4_request";
    Map<String, String> signed = new TreeMap<>();
    signed.put("content-type", contentType.strip());
    signed.put("host", host(uri));
    signed.put("x-amz-content-sha256", payloadSha256);
    signed.put("x-amz-date", amzDate);
    credentials.sessionToken().ifPresent(token -> signed.put("x-amz-security-token", token));

    StringBuilder canonicalHeaders = new StringBuilder();
    signed.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
    String signedHeaders = String.join(";", signed.keySet());
    String canonicalRequest = method + "\n" + uri.getRawPath() + "\n\n" + canonicalHeaders + "\n"
        + signedHeaders + "\n" + payloadSha256;
    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest));
    byte[] key = hmac(("AWS4" + credentials.secretKey()).getBytes(StandardCharsets.UTF_8), DATE.format(now));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, stringToSign));

    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amz-date", amzDate);
    headers.put("x-amz-content-sha256", payloadSha256);
    credentials.sessionToken().ifPresent(token -> headers.put("x-amz-security-token", token));
    headers.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKey() + "/" + scope
        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    return headers;
  }

  /** The Host header as an HTTP client sends it: the port only when it is not the scheme's default. */
  static String host(URI uri) {
    int port = uri.getPort();
    boolean defaultPort = port == -1 || "http".equals(uri.getScheme()) && port == 80
        || "https".equals(uri.getScheme()) && port == 443;
    return uri.getHost() + (defaultPort ? "" : ":" + port);
  }

  /** A path segment encoded as SigV4 wants it: unreserved characters kept, every other byte %XX. */
  public static String encodeSegment(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
