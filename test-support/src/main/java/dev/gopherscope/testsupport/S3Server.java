package dev.gopherscope.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server: s3proxy with its filesystem backend in a temporary directory, on a
 * loopback port the kernel picks, with real AWS v2/v4 signature checks.
 */
public final class S3Server implements AutoCloseable {

  private static S3Server shared;

  private final S3Proxy proxy;
  private final Path dataDir;
  private final String accessKey;
  private final String secretKey;
  private final boolean ownsDataDir;
  private final String host;
  private volatile boolean stopped;

  private S3Server(S3Proxy proxy, String host, Path dataDir, String accessKey, String secretKey, boolean ownsDataDir) {
    this.proxy = proxy;
    this.host = host;
    this.dataDir = dataDir;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.ownsDataDir = ownsDataDir;
  }

  /** The object store of this test run, started on first use. */
  public static synchronized S3Server shared() {
    if (shared == null || shared.stopped) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "s3proxy-stop"));
    }
    return shared;
  }

  /** A fresh server with its own data directory and credentials. */
  public static S3Server start() {
    return startOn("127.0.0.1");
  }

  /**
   * A fresh server listening on {@code host} (an address of this machine), for clients that are
   * not on its loopback: pods on the local node reach it at {@link LocalNode#HOST_ADDRESS}.
   */
  public static S3Server startOn(String host) {
    try {
      return start(host, 0, Files.createTempDirectory("gopherscope-s3"), "gopherscope-test", UUID.randomUUID().toString(),
          true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A server on a given port over an existing data directory, which it leaves in place when it
   * stops: stopping one and starting another on the same port plays an object-store outage.
   */
  public static S3Server restartable(int port, Path dataDir, String accessKey, String secretKey) {
    return start("127.0.0.1", port, dataDir, accessKey, secretKey, false);
  }

  public int port() {
    return proxy.getPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  private static S3Server start(String host, int port, Path dataDir, String accessKey, String secretKey,
      boolean ownsDataDir) {
    try {
      Properties properties = new Properties();
      properties.setProperty("jclouds.filesystem.basedir", dataDir.toString());
      properties.setProperty("jclouds.identity", accessKey);
      properties.setProperty("jclouds.credential", secretKey);
      S3Proxy proxy = S3Proxy.builder()
          .blobStore(BlobStores.create("filesystem", properties))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
          .endpoint(URI.create("http://" + host + ":" + port))
          .build();
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("s3proxy did not start within 30 s (state " + proxy.getState() + ")");
        }
        Thread.sleep(10);
      }
      return new S3Server(proxy, host, dataDir, accessKey, secretKey, ownsDataDir);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start s3proxy: " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return URI.create("http://" + host + ":" + proxy.getPort());
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /** A path-style client with this server's credentials; the caller closes it. */
  public S3Client newClient() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop s3proxy", e);
    } finally {
      if (ownsDataDir) {
        deleteRecursively(dataDir);
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Leftovers in the temp directory are harmless; the server itself is stopped.
    }
  }
}
