package dev.gopherscope.plugin;

import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What to do with a session once it is built: print it, or create it, follow it and fetch its results. */
final class RunOptions {

  @Option(names = "--dry-run", description = "Print the DebugSession that would be created; create nothing.")
  boolean dryRun;

  @Option(names = {"-o", "--output"}, paramLabel = "yaml|json", defaultValue = "yaml",
      description = "With --dry-run: the format (default yaml).")
  String output;

  @Option(names = "--no-wait", description = "Create the session and return at once.")
  boolean noWait;

  @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "15m",
      converter = DurationConverter.class, description = "Give up following the session after this long (default 15m).")
  Duration waitTimeout;

  @Option(names = "--progress", paramLabel = "auto|block|plain", defaultValue = "auto",
      description = "Progress display: one updating block on a terminal, plain lines otherwise (default auto).")
  String progress;

  @Option(names = "--no-download", description = "Do not fetch the artifacts.")
  boolean noDownload;

  @Mixin
  ArtifactOptions artifacts = new ArtifactOptions();
}
