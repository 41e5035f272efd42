package dev.gopherscope.sidecar.app;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The command line of local mode:
 * {@code capture --pid N -f session.yaml [--pprof-port P] --out DIR|s3://bucket/prefix [--s3-endpoint URL] [--dlv PATH]
 * [--debug-info FILE]}.
 *
 * @param pprofPort overrides the session's {@code spec.pprof.port}
 * @param out a directory, or an {@code s3://} location
 * @param s3Endpoint the S3-compatible endpoint for an {@code s3://} out; AWS's regional endpoint when absent
 * @param dlv the dlv binary, for captures that need Delve
 * @param debugInfo separate debug info of a stripped target (the unstripped binary, or
 *     {@code objcopy --only-keep-debug}'s output), for captures that need Delve
 */
record CaptureArguments(long pid, Path sessionFile, Optional<Integer> pprofPort, String out, Optional<URI> s3Endpoint,
    Optional<Path> dlv, Optional<Path> debugInfo) {

  /**
   * Parses the arguments after {@code capture}.
   *
   * @throws UsageException saying which argument is wrong
   */
  static CaptureArguments parse(String[] args) {
    Long pid = null;
    Path session = null;
    Integer port = null;
    String out = null;
    URI endpoint = null;
    Path dlv = null;
    Path debugInfo = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--pid" -> pid = positiveLong(arg, value(args, ++i, arg));
        case "-f", "--file" -> session = Path.of(value(args, ++i, arg));
        case "--pprof-port" -> port = port(value(args, ++i, arg));
        case "--out" -> out = value(args, ++i, arg);
        case "--s3-endpoint" -> endpoint = endpoint(value(args, ++i, arg));
        case "--dlv" -> dlv = Path.of(value(args, ++i, arg));
        case "--debug-info" -> debugInfo = Path.of(value(args, ++i, arg));
        default -> throw new UsageException("unknown argument '" + arg + "'");
      }
    }
    if (pid == null) {
      throw new UsageException("--pid is required: the process id of the Go program to capture");
    }
    if (session == null) {
      throw new UsageException("-f is required: a DebugSession YAML file (see examples/sessions/)");
    }
    if (out == null) {
      throw new UsageException("--out is required: a directory, or s3://bucket/prefix");
    }
    if (endpoint != null && !out.startsWith("s3://")) {
      throw new UsageException("--s3-endpoint only applies to an s3:// --out");
    }
    return new CaptureArguments(pid, session, Optional.ofNullable(port), out, Optional.ofNullable(endpoint),
        Optional.ofNullable(dlv), Optional.ofNullable(debugInfo));
  }

  boolean toS3() {
    return out.startsWith("s3://");
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static long positiveLong(String option, String value) {
    try {
      long n = Long.parseLong(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " must be a positive number, got '" + value + "'");
  }

  private static int port(String value) {
    long port = positiveLong("--pprof-port", value);
    if (port > 65535) {
      throw new UsageException("--pprof-port must be 1..65535, got " + value);
    }
    return (int) port;
  }

  private static URI endpoint(String value) {
    try {
      URI uri = URI.create(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new UsageException("--s3-endpoint must be an http(s) URL such as http://127.0.0.1:9000, got '" + value + "'");
  }
}
