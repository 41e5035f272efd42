package dev.gopherscope.objectstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The entrypoint of the gopherscope/s3proxy image: s3proxy configured from the environment, as
 * s3proxy's own image is, without the shell script that image runs (this one has no shell).
 * The configuration goes in as system properties, which s3proxy's Main lays over its properties
 * file: the credentials stay off the command line (readable in /proc by anything sharing the
 * pod's PID namespace) and off the disk.
 */
public final class S3ProxyMain {

  private S3ProxyMain() {}

  public static void main(String[] args) throws Exception {
    Properties properties;
    try {
      properties = S3ProxyEnvironment.properties(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("s3proxy: " + e.getMessage());
      System.exit(2);
      return;
    }
    if ("filesystem".equals(properties.getProperty("jclouds.provider"))) {
      Path baseDir = Path.of(properties.getProperty("jclouds.filesystem.basedir"));
      try {
        Files.createDirectories(baseDir);
      } catch (IOException e) {
        System.err.println("s3proxy: cannot create the filesystem store's directory " + baseDir + ": " + e);
        System.exit(2);
      }
    }
    properties.forEach((key, value) -> System.setProperty((String) key, (String) value));
    logTo(System.getenv().getOrDefault("LOG_LEVEL", "info"));
    // s3proxy insists on a properties file; everything is in the system properties already.
    org.gaul.s3proxy.Main.main(new String[] {"--properties", "/dev/null"});
  }

  /**
   * slf4j-simple on standard output: s3proxy's Main, seeing no console, turns standard error into
   * a logger, and a logger writing to standard error would then log itself forever.
   */
  private static void logTo(String level) {
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.out");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  }
}
