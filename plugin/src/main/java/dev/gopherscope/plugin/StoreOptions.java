package dev.gopherscope.plugin;

import java.net.URI;
import picocli.CommandLine.Option;

/** How the plugin reaches the object store that holds a session's artifacts. */
final class StoreOptions {

  @Option(names = "--store", paramLabel = "auto|s3|chart", defaultValue = "auto",
      description = "s3: your own credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; --s3-endpoint). chart: the "
          + "chart's embedded store, through the API server (a port-forward). auto (default): s3 when "
          + "AWS_ACCESS_KEY_ID is set, else chart.")
  String mode = "auto";

  @Option(names = "--s3-endpoint", paramLabel = "URL",
      description = "The S3 endpoint (default: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, else AWS S3 in the region).")
  URI endpoint;

  @Option(names = "--s3-region", paramLabel = "REGION",
      description = "The S3 region (default: $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1).")
  String region;

  @Option(names = "--store-namespace", paramLabel = "NS", defaultValue = "gopherscope-system",
      description = "With the chart's store: the namespace gopherscope is installed in (default gopherscope-system).")
  String chartNamespace = "gopherscope-system";
}
