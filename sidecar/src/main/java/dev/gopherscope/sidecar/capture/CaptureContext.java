package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.sidecar.capture.delve.PauseBudget;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.pprofhttp.PprofHttpClient;
import dev.gopherscope.sidecar.redact.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What every capture of one session shares.
 *
 * @param plan the session's plan for this target
 * @param filter the plan's goroutine filter, as a matcher
 * @param redactor the plan's redact patterns
 * @param artifacts where artifacts go
 * @param pprof the app's pprof endpoint, when the plan names one
 * @param delve dlv, attached on first use
 * @param clock the session's clock (the deadline is on it)
 * @param progress one line per step, for a person watching (stderr, container logs)
 * @param traceSummary the trace-summary helper, when the image (or machine) has it
 */
public record CaptureContext(SidecarPlan plan, LabelMatcher filter, Redactor redactor, ArtifactSink artifacts,
    Optional<PprofHttpClient> pprof, DelveAccess delve, Clock clock, Consumer<String> progress,
    Optional<TraceSummaryTool> traceSummary) {

  /** The pprof endpoint, or a failure saying that the session names none. */
  public PprofHttpClient requirePprof() {
    return pprof.orElseThrow(() -> new CaptureException("this capture reads the app's net/http/pprof endpoint, "
        + "but the session names none (set spec.pprof.port)"));
  }

  public Instant deadline() {
    return plan.deadline();
  }

  /** Time left until the session's deadline; zero once it has passed. */
  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), plan.deadline());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The same context with the captures keeping the goroutines {@code narrower} keeps. */
  public CaptureContext withFilter(LabelMatcher narrower) {
    return new CaptureContext(plan, narrower, redactor, artifacts, pprof, delve, clock, progress, traceSummary);
  }

  /** spec.pauseBudget for one Delve capture's halts (at least 1 ms). */
  public PauseBudget pauseBudget() {
    return PauseBudget.of(Duration.ofMillis(Math.max(1, plan.pauseBudgetMs())));
  }

  /** The pod (or, in local mode, the process) the artifacts describe. */
  public String pod() {
    return plan.pod();
  }
}
