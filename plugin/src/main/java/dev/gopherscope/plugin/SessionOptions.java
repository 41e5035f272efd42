package dev.gopherscope.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The spec fields every capture verb shares, named after the DebugSession spec. */
final class SessionOptions {

  @Parameters(index = "0", arity = "0..1", paramLabel = "TARGET",
      description = "pod/NAME, deploy/NAME, sts/NAME, ds/NAME, rs/NAME or a bare pod NAME; or use -l.")
  String target;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
      description = "Pods by label selector, as kubectl reads it: app=checkout,tier!=canary,env in (a,b),release.")
  String selector;

  @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "The container to debug (default: the pod's first).")
  String container;

  @Option(names = "--process", paramLabel = "NAME", description = "The executable to debug when the container runs several.")
  String processName;

  @Option(names = "--max-pods", paramLabel = "N", description = "With a selector or workload: the most pods to debug (1-10, default 1).")
  Integer maxPods;

  @Option(names = "--pprof-port", paramLabel = "PORT",
      description = "Where the app serves net/http/pprof on its loopback; enables the path that never halts it. "
          + "Needed by cpu, heap, allocs, block, mutex.")
  Integer pprofPort;

  @Option(names = "--pprof-path", paramLabel = "PATH", description = "The pprof handlers' path prefix (default /debug/pprof).")
  String pprofPath;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Keep goroutines with this pprof label (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--label-key", paramLabel = "KEY", description = "Keep goroutines having this pprof label key (repeatable).")
  List<String> labelKeys = new ArrayList<>();

  @Option(names = "--traceparent", paramLabel = "TRACEPARENT", description = "Keep the goroutines of this W3C trace.")
  String traceparent;

  @Option(names = "--trace-id", paramLabel = "ID", description = "Keep the goroutines of this trace id (32 or 16 hex digits).")
  String traceId;

  @Option(names = "--pause-budget", paramLabel = "DURATION", description = "Most one capture may halt a target (default 100ms, max 10s).")
  String pauseBudget;

  @Option(names = "--attach-pause-budget", paramLabel = "DURATION", description = "Most attaching Delve may halt a target (default 3s).")
  String attachPauseBudget;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "The session fails if not finished this long after creation (default 10m).")
  String timeout;

  @Option(names = "--ttl", paramLabel = "SECONDS", description = "Seconds after it ends until the operator deletes the session (default 3600).")
  Integer ttlSecondsAfterFinished;

  @Option(names = "--redact", paramLabel = "RE2", description = "Replace label values and locals matching this RE2 pattern (repeatable).")
  List<String> redact = new ArrayList<>();

  @Option(names = "--bucket", paramLabel = "BUCKET", description = "The object-store bucket (default: the operator's).")
  String bucket;

  @Option(names = "--memory-check", paramLabel = "Enforce|Warn", description = "Refuse (Enforce, default) or only warn when the pod lacks memory headroom.")
  String memoryHeadroomCheck;

  @Option(names = "--name", paramLabel = "NAME", description = "The session's name (default: <verb>-<random>).")
  String name;

  @Option(names = "--when-goroutines-above", paramLabel = "N",
      description = "Wait (Armed) until a target runs more than N goroutines, then capture (needs --pprof-port).")
  Long whenGoroutinesAbove;

  @Option(names = "--when-heap-above", paramLabel = "QUANTITY",
      description = "Wait until a target's heap in use exceeds QUANTITY, e.g. 512Mi (needs --pprof-port).")
  String whenHeapAbove;

  @Option(names = "--when-label", paramLabel = "KEY=VALUE",
      description = "Wait until a goroutine carries this pprof label (repeatable: all of them; needs --pprof-port).")
  Map<String, String> whenLabels = new LinkedHashMap<>();

  @Option(names = "--when-hit", paramLabel = "LOCATION",
      description = "Wait until a goroutine reaches LOCATION (Delve), then capture only that goroutine's request.")
  String whenHit;

  @Option(names = "--when-condition", paramLabel = "EXPR", description = "With --when-hit: only a hit where EXPR is true.")
  String whenCondition;

  @Option(names = "--poll-interval", paramLabel = "DURATION",
      description = "Time between a trigger's polls (default 5s, 1s to 5m).")
  String pollInterval;
}
