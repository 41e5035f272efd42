package dev.gopherscope.sidecar.app;

import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport.ArtifactRecord;
import dev.gopherscope.sidecar.capture.CaptureResult;
import dev.gopherscope.sidecar.capture.SessionFilter;
import dev.gopherscope.sidecar.debuginfo.DebugInfoSource;
import dev.gopherscope.sidecar.output.ArtifactSpool;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.redact.Redactor;
import dev.gopherscope.sidecar.trigger.TriggerOutcome;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code sidecar capture}: a session from a DebugSession YAML file against a local process, no
 * cluster involved. The same plan, captures and report as in a pod; artifacts go to a directory
 * or, with the user's AWS credentials, to {@code s3://bucket/prefix}. Progress goes to stderr, the
 * summary (where each artifact is and how to open it) to stdout.
 */
final class LocalRun {

  private LocalRun() {
  }

  static ExitCode run(String[] args, Map<String, String> env, Clock clock, PrintStream out, Consumer<String> progress) {
    CaptureArguments arguments = CaptureArguments.parse(args);
    SidecarPlan plan = SessionFile.read(arguments.sessionFile()).withPprofPort(arguments.pprofPort())
        .plan(arguments.pid(), clock);
    Redactor redactor;
    LabelMatcher filter;
    try {
      redactor = Redactor.compile(plan.redact() == null ? List.of() : plan.redact());
      filter = SessionFilter.matcher(plan.filter());
    } catch (IllegalArgumentException e) {
      throw new UsageException(arguments.sessionFile() + ": " + e.getMessage(), e);
    }
    Destination destination = arguments.toS3() ? s3(arguments, env, clock) : directory(Path.of(arguments.out()));
    TargetIdentity target;
    try {
      target = TargetLookup.forThisProcess().byPid(arguments.pid(), plan.needsDelve());
    } catch (TargetLookupException e) {
      progress.accept(e.reason() + ": " + e.getMessage());
      return ExitCode.TARGET;
    }
    progress.accept("target " + target.describe() + (target.note().isEmpty() ? "" : "; " + target.note()));
    SessionRun.Outcome outcome = new SessionRun(plan, target, filter, redactor, destination.spool(),
        destination.delivery(), dlv(arguments, env), debugInfo(arguments), clock, progress).run(new SessionRun.Listener() {
          @Override
          public void captureStarting(CapturePlan capture) {
            // SessionRun prints each capture's start and outcome; a terminal needs no more.
          }

          @Override
          public void captureDone(int done, CaptureResult result, SessionRun.Pauses pauses) {
            // As above.
          }

          @Override
          public void delivering(int artifacts) {
            progress.accept((destination.delivery().uploads() ? "uploading " : "finishing ") + artifacts
                + " artifact(s)");
          }

          private Instant lastArmedLine = Instant.MIN;

          @Override
          public void armed(TriggerOutcome armed) {
            // A poll a second is too much to read; a line every 10 s shows it is alive and what it sees.
            if (armed.polls() > 0 && clock.instant().isAfter(lastArmedLine.plusSeconds(10))) {
              lastArmedLine = clock.instant();
              progress.accept("  " + armed.message());
            }
          }
        });
    if (destination.delivery().uploads()) {
      dropUploaded(destination.spool().dir(), outcome);
    }
    new LocalSummary(plan, target, destination.where()).print(outcome, out);
    return outcome.capturesOk() && outcome.count(ArtifactDelivery.FAILED) == 0 ? ExitCode.OK : ExitCode.FAILED;
  }

  /** The temporary spool of an upload keeps only what did not arrive; empty, it goes too. */
  private static DebugInfoSource debugInfo(CaptureArguments arguments) {
    return arguments.debugInfo().map(DebugInfoSource::file).orElse(DebugInfoSource.none("the target is stripped (no "
        + "DWARF), so Delve cannot read it; pass its debug info with --debug-info FILE (the unstripped binary, or "
        + "objcopy --only-keep-debug's output); pprof captures still work"));
  }

  private static void dropUploaded(Path spool, SessionRun.Outcome outcome) {
    try {
      for (ArtifactRecord artifact : outcome.allArtifacts()) {
        if (artifact.state().equals(ArtifactDelivery.UPLOADED)) {
          Files.deleteIfExists(spool.resolve(artifact.name()));
        }
      }
      try (Stream<Path> left = Files.list(spool)) {
        if (left.findAny().isEmpty()) {
          Files.delete(spool);
        }
      }
    } catch (IOException e) {
      // A leftover temporary file is no reason to fail a session whose artifacts arrived.
    }
  }

  /**
   * Where the artifacts go.
   *
   * @param where names an artifact for the summary: its path, or its s3:// URI
   */
  private record Destination(ArtifactSpool spool, ArtifactDelivery delivery, ArtifactLocator where) {
  }

  /** Says where an artifact ended up and how to open it. */
  interface ArtifactLocator {
    String locate(String name);

    /** How to open a {@code .pb.gz} in pprof. */
    String pprofCommand(String name);
  }

  private static Destination directory(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    ArtifactSpool spool;
    try {
      spool = new ArtifactSpool(absolute);
    } catch (UncheckedIOException e) {
      throw new UsageException(e.getMessage(), e);
    }
    return new Destination(spool, ArtifactDelivery.keepLocal(), new ArtifactLocator() {
      @Override
      public String locate(String name) {
        return absolute.resolve(name).toString();
      }

      @Override
      public String pprofCommand(String name) {
        return "go tool pprof -http=: " + absolute.resolve(name);
      }
    });
  }

  private static Destination s3(CaptureArguments arguments, Map<String, String> env, Clock clock) {
    S3Location location = S3Location.parse(arguments.out());
    AwsSigV4.Credentials credentials = AwsSigV4.Credentials.fromEnvironment(env);
    String region = Optional.ofNullable(env.get("AWS_REGION")).or(() -> Optional.ofNullable(env.get("AWS_DEFAULT_REGION")))
        .filter(r -> !r.isBlank()).orElse("us-east-1");
    URI endpoint = arguments.s3Endpoint().orElse(URI.create("https://s3." + region + ".amazonaws.com"));
    // A fresh directory per run, under GOPHERSCOPE_SPOOL_DIR when set (as in a pod), else the system's temp dir.
    Optional<Path> parent = Optional.ofNullable(env.get(SidecarEnvironment.SPOOL_DIR)).filter(s -> !s.isBlank())
        .map(Path::of);
    Path spoolDir;
    try {
      spoolDir = parent.isPresent()
          ? Files.createTempDirectory(Files.createDirectories(parent.get()), "gopherscope-spool-")
          : Files.createTempDirectory("gopherscope-spool-");
    } catch (IOException e) {
      throw new UsageException("cannot create a spool directory" + parent.map(p -> " under " + p).orElse("") + ": "
          + e.getMessage(), e);
    }
    String endpointOption = arguments.s3Endpoint().map(e -> " --endpoint-url " + e).orElse("");
    return new Destination(new ArtifactSpool(spoolDir),
        ArtifactDelivery.uploadingWith(new S3Uploader(endpoint, location, new AwsSigV4(credentials, region, "s3"), clock)),
        new ArtifactLocator() {
          @Override
          public String locate(String name) {
            return location.uri(name);
          }

          @Override
          public String pprofCommand(String name) {
            return "aws s3 cp" + endpointOption + " " + location.uri(name) + " . && go tool pprof -http=: " + name;
          }
        });
  }

  /** --dlv, else GOPHERSCOPE_DLV, else dlv on the PATH; only used if a capture needs Delve. */
  private static Optional<Path> dlv(CaptureArguments arguments, Map<String, String> env) {
    if (arguments.dlv().isPresent()) {
      return arguments.dlv();
    }
    String configured = env.get(SidecarEnvironment.DLV);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "dlv");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
