package dev.gopherscope.sidecar.output;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Uploads through the presigned PUT URLs the operator minted, so the sidecar holds no store
 * credentials (DESIGN invariant 4). An outage is ridden out with backoff until the session's
 * deadline; the spool keeps the bytes meanwhile.
 */
public final class PresignedUploader implements ArtifactUploader {

  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final Map<String, URI> urls;
  private final Instant deadline;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public PresignedUploader(Map<String, URI> urls, Instant deadline, Clock clock) {
    this.urls = Map.copyOf(urls);
    this.deadline = deadline;
    this.clock = clock;
  }

  @Override
  public void upload(SpooledArtifact artifact) {
    URI url = urls.get(artifact.name());
    if (url == null) {
      throw new UploadException("no upload URL was planned for " + artifact.name());
    }
    Duration backoff = Duration.ofMillis(100);
    String lastProblem = null;
    int attempts = 0;
    while (attempts == 0 || clock.instant().plus(backoff).isBefore(deadline)) {
      attempts++;
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", artifact.contentType())
                .PUT(HttpRequest.BodyPublishers.ofFile(artifact.file()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          return;
        }
        lastProblem = "the object store answered " + response.statusCode();
        if (response.statusCode() == 403) {
          // An expired or mismatched signature does not heal by retrying.
          throw new UploadException(lastProblem + " (presigned URL refused: expired or wrong content type)");
        }
      } catch (IOException e) {
        lastProblem = "cannot reach the object store: " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UploadException("interrupted while uploading " + artifact.name());
      }
      sleep(backoff);
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
    throw new UploadException("gave up uploading " + artifact.name() + " after " + attempts + " attempt(s) at the "
        + "session deadline: " + lastProblem);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
