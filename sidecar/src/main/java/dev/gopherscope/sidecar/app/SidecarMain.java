package dev.gopherscope.sidecar.app;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The sidecar's entry point: {@code run} in a pod (as the operator starts it), {@code capture}
 * against a local process, {@code --help}. Plain wiring with no framework, so the JVM starts in
 * well under a second; the Delve classes load only when a capture needs dlv.
 */
public final class SidecarMain {

  static final String HELP = """
      gopherscope sidecar: debug and profile a running Go process in place.

      usage:
        sidecar run
            In the debug container the operator injects into a pod. Reads the session's plan,
            credentials and upload URLs from the environment (below), finds the Go process
            sharing the container's process namespace, captures, uploads every artifact through
            its presigned URL, and reports to status.targets[pod].report of the DebugSession:
            Attached, Capturing, Uploading, then Done or Failed.

        sidecar capture --pid N -f session.yaml --out DIR|s3://bucket/prefix
                        [--pprof-port P] [--s3-endpoint URL] [--dlv PATH] [--debug-info FILE]
            Runs a DebugSession file's captures against local process N, no cluster needed.
              --pid N            the Go process to capture from
              -f FILE            a DebugSession YAML (see examples/sessions/); its spec is planned
                                 exactly as the operator plans it, timeout included
              --out DIR          write the artifacts and report.json into DIR
              --out s3://B/P     upload them to bucket B under prefix P (path-style, SigV4) with
                                 AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY [, AWS_SESSION_TOKEN,
                                 AWS_REGION] from the environment
              --pprof-port P     the port of the app's net/http/pprof (overrides spec.pprof.port)
              --s3-endpoint URL  an S3-compatible endpoint (default https://s3.<region>.amazonaws.com)
              --dlv PATH         dlv, for Delve captures (default $GOPHERSCOPE_DLV, then dlv on PATH)
              --debug-info FILE  debug info of a stripped target, for Delve captures: its unstripped
                                 binary or objcopy --only-keep-debug's output (checked by build ID)
            Progress goes to stderr; the summary (where each artifact is, how to open it) to stdout.
            With --out s3://..., artifacts are spooled in a temporary directory under
            $GOPHERSCOPE_SPOOL_DIR (default: the system's temp dir) until they are uploaded.

        sidecar --help
            This text.

      environment of run (set by the operator):
        GOPHERSCOPE_PLAN        the plan, JSON
        GOPHERSCOPE_API_SERVER  the Kubernetes API server's URL
        GOPHERSCOPE_API_CA      PEM of its CA
        GOPHERSCOPE_TOKEN       a token that may patch only this session's status
        GOPHERSCOPE_UPLOADS     JSON: artifact name to presigned PUT URL
        GOPHERSCOPE_DLV         dlv in the image (needed only by Delve captures)
        GOPHERSCOPE_SPOOL_DIR   where artifacts are spooled before upload (default /tmp/gopherscope)

      exit codes:
        0  every capture succeeded and every artifact is stored (run: the target is Done)
        1  the session ran, but a capture failed or an artifact could not be stored (see report.json)
        2  bad command line, session file, plan, redact pattern or environment; nothing captured
        3  the target process cannot be captured from (not found, not Go, ambiguous); nothing captured
      """;

  private SidecarMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs one command and returns its exit code; the streams are the process's stdout and stderr. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    long started = System.nanoTime();
    // Seconds since start on every line: enough to see where a slow session spent its time.
    Consumer<String> progress = line -> err.printf(Locale.ROOT, "[gopherscope %6.3fs] %s%n",
        (System.nanoTime() - started) / 1e9, line);
    if (args.length == 0) {
      err.println("sidecar: say what to do: run, capture or --help");
      return ExitCode.USAGE.code();
    }
    try {
      return switch (args[0]) {
        case "run" -> {
          if (args.length > 1) {
            throw new UsageException("run takes no arguments; its input is the environment (see --help)");
          }
          yield PodRun.run(env, Clock.systemUTC(), progress).code();
        }
        case "capture" -> LocalRun.run(Arrays.copyOfRange(args, 1, args.length), env, Clock.systemUTC(), out,
            progress).code();
        case "--help", "-h", "help" -> {
          out.print(HELP);
          yield ExitCode.OK.code();
        }
        default -> throw new UsageException("unknown command '" + args[0] + "'; the commands are run and capture");
      };
    } catch (UsageException e) {
      err.println("sidecar: " + e.getMessage());
      err.println("(sidecar --help explains the commands)");
      return ExitCode.USAGE.code();
    } catch (RuntimeException e) {
      err.println("sidecar: failed: " + e);
      return ExitCode.FAILED.code();
    }
  }
}
