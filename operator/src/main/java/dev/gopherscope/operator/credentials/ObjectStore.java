package dev.gopherscope.operator.credentials;

import dev.gopherscope.operator.config.OperatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The object store as the operator uses it: it mints presigned PUT URLs, so the credentials never
 * enter a target pod (DESIGN invariant 4), and reads back what sidecars uploaded.
 */
public final class ObjectStore implements AutoCloseable {

  /** S3 refuses presigned URLs valid for longer than seven days. */
  static final Duration MAX_PRESIGN = Duration.ofDays(7);

  private final S3Client client;
  private final S3Presigner presigner;
  private final String defaultBucket;

  public ObjectStore(OperatorConfig.ObjectStore config) {
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
    S3Configuration s3 = S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build();
    var clientBuilder = S3Client.builder().region(Region.of(config.region())).credentialsProvider(credentials)
        .serviceConfiguration(s3).httpClient(UrlConnectionHttpClient.create());
    var presignerBuilder = S3Presigner.builder().region(Region.of(config.region())).credentialsProvider(credentials)
        .serviceConfiguration(s3);
    config.endpoint().ifPresent(endpoint -> {
      clientBuilder.endpointOverride(endpoint);
      presignerBuilder.endpointOverride(endpoint);
    });
    this.client = clientBuilder.build();
    this.presigner = presignerBuilder.build();
    this.defaultBucket = config.bucket();
  }

  public String defaultBucket() {
    return defaultBucket;
  }

  /** A URL that lets its holder PUT exactly this key, with this content type, until it expires. */
  public URI presignPut(String bucket, String key, String contentType, Duration validFor) {
    Duration ttl = validFor.compareTo(MAX_PRESIGN) > 0 ? MAX_PRESIGN : validFor;
    return URI.create(presigner.presignPutObject(p -> p.signatureDuration(ttl)
        .putObjectRequest(r -> r.bucket(bucket).key(key).contentType(contentType))).url().toString());
  }

  /** A URL that lets its holder GET exactly this key until it expires. */
  public URI presignGet(String bucket, String key, Duration validFor) {
    Duration ttl = validFor.compareTo(MAX_PRESIGN) > 0 ? MAX_PRESIGN : validFor;
    return URI.create(presigner.presignGetObject(p -> p.signatureDuration(ttl)
        .getObjectRequest(r -> r.bucket(bucket).key(key))).url().toString());
  }

  /** The object's size in bytes, or empty when there is no such object. */
  public Optional<Long> size(String bucket, String key) {
    try {
      return Optional.of(client.headObject(r -> r.bucket(bucket).key(key)).contentLength());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The object's bytes, or empty when there is none. The objects the operator reads were written
   * by sidecars in target pods, so no more than {@code maxBytes} is read: a larger object is a
   * {@link TooLargeException}, not an operator out of memory.
   */
  public Optional<byte[]> get(String bucket, String key, int maxBytes) {
    try (ResponseInputStream<GetObjectResponse> in = client.getObject(r -> r.bucket(bucket).key(key))) {
      Long length = in.response().contentLength();
      if (length != null && length > maxBytes) {
        throw new TooLargeException(uri(bucket, key) + " is " + length + " bytes, over the " + maxBytes
            + " the operator reads");
      }
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new TooLargeException(uri(bucket, key) + " is over the " + maxBytes + " bytes the operator reads");
      }
      return Optional.of(bytes);
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uri(bucket, key), e);
    }
  }

  /** An object over the size the operator is willing to read. */
  public static final class TooLargeException extends RuntimeException {
    TooLargeException(String message) {
      super(message);
    }
  }

  /** Creates the bucket when it does not exist (the embedded store of the demo starts empty). */
  public void ensureBucket(String bucket) {
    try {
      client.headBucket(r -> r.bucket(bucket));
    } catch (NoSuchBucketException e) {
      create(bucket);
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      create(bucket);
    }
  }

  private void create(String bucket) {
    try {
      client.createBucket(r -> r.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException e) {
      // Another session's reconcile created it a moment ago: the bucket is there, which is all we need.
    }
  }

  public static String uri(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }
}
