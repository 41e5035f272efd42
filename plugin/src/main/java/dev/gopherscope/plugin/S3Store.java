package dev.gopherscope.plugin;

import dev.gopherscope.sidecar.app.AwsSigV4;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** An S3-compatible store read with SigV4-signed, path-style GETs (the sidecar's signer). */
final class S3Store implements ArtifactStore {

  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final Pattern S3_CODE = Pattern.compile("<Code>([^<]+)</Code>");

  private final URI endpoint;
  private final AwsSigV4 signer;
  private final String description;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  S3Store(URI endpoint, AwsSigV4 signer, String description) {
    this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", ""));
    this.signer = signer;
    this.description = description;
  }

  static S3Store fromEnvironment(StoreOptions options, Map<String, String> env) {
    String accessKey = env.get("AWS_ACCESS_KEY_ID");
    String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
    if (blank(accessKey) || blank(secretKey)) {
      throw new UserError("reading artifacts from S3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the "
          + "environment (or --store chart for the chart's embedded store)");
    }
    String region = first(options.region, env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"), "us-east-1");
    URI endpoint = options.endpoint != null ? options.endpoint
        : URI.create(first(env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL"),
            "https://s3." + region + ".amazonaws.com"));
    AwsSigV4.Credentials credentials = new AwsSigV4.Credentials(accessKey, secretKey,
        Optional.ofNullable(env.get("AWS_SESSION_TOKEN")).filter(t -> !t.isBlank()));
    return new S3Store(endpoint, new AwsSigV4(credentials, region, "s3"), "S3 at " + endpoint);
  }

  @Override
  public InputStream open(String bucket, String key) throws IOException {
    URI uri = URI.create(endpoint + "/" + AwsSigV4.encodeSegment(bucket) + "/"
        + Arrays.stream(key.split("/", -1)).map(AwsSigV4::encodeSegment).collect(Collectors.joining("/")));
    String contentType = "application/octet-stream";
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofMinutes(5))
        .header("Content-Type", contentType);
    signer.sign("GET", uri, contentType, EMPTY_SHA256, Instant.now()).forEach(request::header);
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new StoreUnreachableException("object store unreachable: " + description + " (" + reason(e) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading s3://" + bucket + "/" + key, e);
    }
    if (response.statusCode() == 200) {
      return response.body();
    }
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    }
    Matcher code = S3_CODE.matcher(body);
    String s3Code = code.find() ? code.group(1) : "HTTP " + response.statusCode();
    throw new IOException(switch (response.statusCode()) {
      case 403 -> description + " refused the credentials for s3://" + bucket + "/" + key + " (" + s3Code + ")";
      case 404 -> "no object s3://" + bucket + "/" + key + " in " + description + " (" + s3Code + ")";
      default -> description + " answered " + response.statusCode() + " for s3://" + bucket + "/" + key + " (" + s3Code + ")";
    });
  }

  /** Why a connection failed, in words: the JDK's HTTP client often says only ClosedChannelException. */
  private static String reason(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return "connect timed out";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
    }
    return e.getMessage() == null ? "the connection failed" : e.getMessage();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    // HttpClient has no close() before Java 21; its threads end with the process.
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String first(String... values) {
    for (String v : values) {
      if (!blank(v)) {
        return v;
      }
    }
    return null;
  }
}
