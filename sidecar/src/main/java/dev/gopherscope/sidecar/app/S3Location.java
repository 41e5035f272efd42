package dev.gopherscope.sidecar.app;

/**
 * Where local mode uploads: {@code s3://bucket/prefix}.
 *
 * @param prefix empty, or ending in {@code /}
 */
record S3Location(String bucket, String prefix) {

  /**
   * @throws UsageException if {@code uri} is not {@code s3://bucket[/prefix]}
   */
  static S3Location parse(String uri) {
    if (!uri.startsWith("s3://")) {
      throw new UsageException("not an s3:// location: " + uri);
    }
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+", "");
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new UsageException("'" + bucket + "' in " + uri + " is not an S3 bucket name (3-63 of a-z, 0-9, '.', '-')");
    }
    return new S3Location(bucket, prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/");
  }

  String key(String name) {
    return prefix + name;
  }

  String uri(String name) {
    return "s3://" + bucket + "/" + key(name);
  }
}
