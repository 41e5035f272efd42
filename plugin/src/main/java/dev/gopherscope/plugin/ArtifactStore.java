package dev.gopherscope.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Where the plugin reads artifacts from: an S3 API, reached directly or through the API server. */
interface ArtifactStore extends AutoCloseable {

  /**
   * The object's bytes; the caller closes the stream.
   *
   * @throws IOException with a message a person can act on when the object cannot be read
   */
  InputStream open(String bucket, String key) throws IOException;

  /** Where the store is, for messages. */
  String describe();

  @Override
  void close();

  /** The store {@code options} ask for; auto takes the user's own S3 credentials when set, else the chart's store. */
  static ArtifactStore open(StoreOptions options, KubernetesClient client) {
    Map<String, String> env = System.getenv();
    return switch (options.mode) {
      case "s3" -> S3Store.fromEnvironment(options, env);
      case "chart" -> ChartStore.open(client, options.chartNamespace);
      case "auto" -> env.containsKey("AWS_ACCESS_KEY_ID") ? S3Store.fromEnvironment(options, env)
          : ChartStore.open(client, options.chartNamespace);
      default -> throw new UserError("--store is auto, s3 or chart, not " + options.mode);
    };
  }
}
