package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.contract.SidecarReport.ExecutionTraceSummary;
import dev.gopherscope.contract.SidecarReport.TracedGoroutine;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import dev.gopherscope.sidecar.pprof.GoroutineDump;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprofhttp.PprofHttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code ExecutionTrace} capture: {@code /debug/pprof/trace?seconds=N} from the app, which
 * never halts it (the runtime records scheduling, GC and syscall events into buffers while it
 * runs), spooled as {@code trace.out} for {@code go tool trace}, then read by {@link
 * TraceSummaryTool}: GC and stop-the-world pauses, scheduler latency, and how the session's
 * goroutines spent the time (running, runnable, in syscalls, blocked and on what).
 *
 * <p>Execution traces carry no pprof labels. When the session has a filter, the goroutines it keeps
 * are found halfway through the trace by {@link TraceGoroutines} (a goroutine profile and a
 * goroutine dump, joined by stack); both stop the world for a moment, so those two pauses are left
 * out of the stop-the-world figures. Without a filter, the longest-running goroutines are reported.
 */
public final class ExecutionTraceCapture implements Capture {

  /** A 60 s trace of a very busy service stays under this; a larger one is refused, not spooled. */
  static final long MAX_TRACE_BYTES = 512L * 1024 * 1024;
  static final int REPORTED_GOROUTINES = 5;
  static final int REPORTED_FRAMES = 5;
  /** The stop-the-world reasons of the goroutine profile and dump the sidecar takes during the trace. */
  static final List<String> OWN_PAUSES = List.of("goroutine profile", "all goroutines stack trace");
  /** Beyond the trace: both reads have the pprof client's own read timeout. */
  private static final Duration MATCHING_TIMEOUT = Duration.ofMinutes(2);

  private final CapturePlan plan;

  public ExecutionTraceCapture(CapturePlan plan) {
    this.plan = plan;
  }

  @Override
  public CaptureOutcome run(CaptureContext context) {
    PprofHttpClient pprof = context.requirePprof();
    Duration duration = TimedCapture.fit(plan, context, "an execution trace");
    String note = TimedCapture.shortenedNote(plan, duration);
    boolean filtering = !context.filter().matchesEverything();
    CompletableFuture<TraceGoroutines> matching = filtering
        ? CompletableFuture.supplyAsync(() -> findGoroutines(pprof, context, duration.dividedBy(2)))
        : CompletableFuture.completedFuture(null);

    context.progress().accept("tracing for " + PprofHttpClient.cpuSeconds(duration) + " s");
    SpooledArtifact trace = context.artifacts().write(SessionPlanner.EXECUTION_TRACE,
        out -> pprof.trace(duration, out, MAX_TRACE_BYTES));
    TraceGoroutines found = await(matching);

    Optional<TraceSummaryTool> tool = context.traceSummary();
    String size = String.format(Locale.ROOT, "%.1f MiB", trace.bytes() / (1024.0 * 1024));
    if (tool.isEmpty()) {
      return OutcomeBuilder.of(plan).message(note + "traced " + PprofHttpClient.cpuSeconds(duration) + " s into "
          + SessionPlanner.EXECUTION_TRACE + " (" + size + "); no summary: " + TraceSummaryTool.NAME
          + " is neither beside dlv nor on the PATH").build();
    }
    List<Long> ids = found == null ? List.of()
        : found.ids().stream().limit(TraceSummaryTool.MAX_GOROUTINES).toList();
    TraceFigures figures = tool.get().summarize(trace.file(), ids, REPORTED_GOROUTINES,
        filtering ? OWN_PAUSES : List.of());
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("filter", filtering ? SessionFilter.describe(context.filter()) : null);
    document.put("matchedGoroutineIds", found == null ? null : found.ids());
    document.put("ambiguousGoroutines", found == null ? null : found.ambiguous());
    document.put("summary", figures);
    context.artifacts().writeJson(SessionPlanner.EXECUTION_TRACE_SUMMARY, document);

    List<TraceFigures.Goroutine> shown = filtering ? figures.focus() : figures.top();
    List<TracedGoroutine> goroutines = shown.stream().limit(REPORTED_GOROUTINES)
        .map(g -> g.toReport(REPORTED_FRAMES)).toList();
    ExecutionTraceSummary summary = new ExecutionTraceSummary(figures.durationNs() / 1_000_000,
        figures.gcCycles(), figures.gcPauses().toPauses(), figures.stwPauses().toPauses(),
        figures.schedLatency().toPauses(), figures.goroutines(), found == null ? null : figures.focus().size(),
        found == null ? null : found.ambiguous(), goroutines);
    return OutcomeBuilder.of(plan).message(note + message(figures, found, size, ids.size())).executionTrace(summary)
        .build();
  }

  private static TraceGoroutines findGoroutines(PprofHttpClient pprof, CaptureContext context, Duration after) {
    try {
      Thread.sleep(after.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CaptureException("interrupted while waiting to read the goroutines during the trace", e);
    }
    PprofProfile labelled = pprof.goroutines();
    List<GoroutineDump.Goroutine> dump = pprof.goroutineDump(GoroutineDump::read);
    return TraceGoroutines.find(labelled, dump, context.filter());
  }

  private static TraceGoroutines await(CompletableFuture<TraceGoroutines> matching) {
    try {
      return matching.get(MATCHING_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new CaptureException("traced, but could not read the goroutines during the trace to find the filter's: "
          + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      matching.cancel(true);
      throw new CaptureException("traced, but the goroutine profile taken during the trace did not come back", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CaptureException("interrupted", e);
    }
  }

  private static String message(TraceFigures f, TraceGoroutines found, String size, int asked) {
    StringBuilder m = new StringBuilder(String.format(Locale.ROOT,
        "%.1f s traced (%s): %d GC cycles, GC pauses max %s p99 %s, stop-the-world max %s, scheduler latency p99 %s, "
            + "%d goroutines",
        f.durationNs() / 1e9, size, f.gcCycles(), micros(f.gcPauses().maxNs()), micros(f.gcPauses().p99Ns()),
        micros(f.stwPauses().maxNs()), micros(f.schedLatency().p99Ns()), f.goroutines()));
    if (found != null) {
      m.append("; ").append(f.focus().size()).append(f.focus().size() == 1 ? " goroutine" : " goroutines")
          .append(" of the filter found in the trace");
      if (found.ambiguous() > 0) {
        m.append(", ").append(found.ambiguous()).append(" left out as ambiguous (their stack is shared outside "
            + "the filter)");
      }
      if (found.ids().size() > asked) {
        m.append(", the first ").append(asked).append(" of ").append(found.ids().size()).append(" accounted for");
      }
    }
    return m.toString();
  }

  private static String micros(long ns) {
    return ns < 1_000_000 ? (ns / 1000) + " µs" : String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
  }
}
