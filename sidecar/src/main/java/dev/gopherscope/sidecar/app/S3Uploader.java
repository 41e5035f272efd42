package dev.gopherscope.sidecar.app;

import dev.gopherscope.sidecar.output.ArtifactUploader;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Local mode's uploads to an S3-compatible store with the user's own credentials: a SigV4-signed
 * path-style {@code PUT} per artifact. Connection failures and 5xx answers are retried a few
 * times; a 4xx (wrong credentials, no such bucket) is final and says what the store said.
 */
final class S3Uploader implements ArtifactUploader {

  static final int ATTEMPTS = 4;
  private static final int MAX_ERROR = 300;

  private final URI endpoint;
  private final S3Location location;
  private final AwsSigV4 signer;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  S3Uploader(URI endpoint, S3Location location, AwsSigV4 signer, Clock clock) {
    this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", ""));
    this.location = location;
    this.signer = signer;
    this.clock = clock;
  }

  @Override
  public void upload(SpooledArtifact artifact) {
    String key = location.key(artifact.name());
    URI uri = URI.create(endpoint + "/" + AwsSigV4.encodeSegment(location.bucket()) + "/"
        + Arrays.stream(key.split("/", -1)).map(AwsSigV4::encodeSegment).collect(Collectors.joining("/")));
    String problem = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      HttpRequest.BodyPublisher body;
      try {
        body = HttpRequest.BodyPublishers.ofFile(artifact.file());
      } catch (FileNotFoundException e) {
        throw new UploadException("the spooled file " + artifact.file() + " is gone");
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
          .header("Content-Type", artifact.contentType());
      signer.sign("PUT", uri, artifact.contentType(), artifact.sha256(), clock.instant()).forEach(request::header);
      try {
        HttpResponse<String> response = http.send(request.PUT(body).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          return;
        }
        problem = endpoint + " answered " + response.statusCode() + " to the PUT of " + location.uri(artifact.name())
            + ": " + abbreviate(response.body());
        if (response.statusCode() < 500) {
          throw new UploadException(problem);
        }
      } catch (IOException e) {
        problem = "cannot reach " + endpoint + ": " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UploadException("interrupted while uploading " + artifact.name());
      }
      sleep(Duration.ofMillis(250L << attempt));
    }
    throw new UploadException("gave up after " + ATTEMPTS + " attempts: " + problem);
  }

  private static String abbreviate(String body) {
    String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
    return flat.length() <= MAX_ERROR ? flat : flat.substring(0, MAX_ERROR) + "…";
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
