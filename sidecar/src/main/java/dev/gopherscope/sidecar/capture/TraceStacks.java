package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarPlan.Source;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.capture.delve.CapturedGoroutine;
import dev.gopherscope.sidecar.capture.delve.GoroutineCaptureResult;
import dev.gopherscope.sidecar.capture.delve.GoroutineQuery;
import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.SampleFilter;
import dev.gopherscope.sidecar.pprof.Samples;
import dev.gopherscope.sidecar.pprof.StackFrame;
import dev.gopherscope.sidecar.pprof.TraceContext;
import dev.gopherscope.sidecar.pprof.TraceLabels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code TraceStacks} capture, the one a person opens first when a request is slow: the
 * stacks of every goroutine working for a trace, grouped by trace id, blocked goroutines included
 * and marked (see {@link BlockedFrames}), so a slow trace shows where each of its goroutines
 * waits. Trace ids are read from pprof labels under every convention {@link TraceLabels} knows.
 * With a trace id in the session's filter, only that trace; the filter's labels apply too.
 *
 * <p>From pprof ({@code goroutine?debug=0}), which lists every goroutine, running or parked, with
 * its labels and without a halt, it also writes {@code trace-stacks.pb.gz}: the goroutine profile
 * cut down to the traced goroutines. From Delve, Delve lists the goroutines itself filtered by
 * label within the pause budget: by the session's trace (any convention) when it names one,
 * otherwise by the presence of the {@code traceparent} label (or of a trace label the filter's
 * {@code labelKeys} names), since Delve cannot ask "any trace id".
 */
public final class TraceStacks implements Capture {

  static final int SUMMARY_TRACES = 20;
  static final int SUMMARY_FRAMES = 5;

  private final CapturePlan plan;

  public TraceStacks(CapturePlan plan) {
    this.plan = plan;
  }

  @Override
  public CaptureOutcome run(CaptureContext context) {
    TraceGrouping grouping = new TraceGrouping();
    OutcomeBuilder outcome = OutcomeBuilder.of(plan);
    String note;
    long matched;
    long total;
    if (plan.source() == Source.Delve) {
      GoroutineCaptureResult result = fromDelve(context, grouping);
      outcome.paused(result.pausedMs(), result.budgetExceeded());
      note = result.message();
      matched = result.matched();
      total = result.goroutinesTotal() >= 0 ? result.goroutinesTotal() : result.goroutinesScanned();
    } else {
      PprofProfile all = context.requirePprof().goroutines();
      PprofProfile filtered = new SampleFilter(context.filter()).apply(all);
      PprofProfile traced = fromProfile(context, filtered, grouping);
      context.artifacts().writeProfile("trace-stacks.pb.gz", context.redactor().profile(traced));
      note = null;
      matched = filtered.total(0);
      total = all.total(0);
    }
    List<TraceStacksDocument.Trace> traces = grouping.traces();
    context.artifacts().writeJson("trace-stacks.json", new TraceStacksDocument(context.pod(), plan.source().name(),
        context.clock().instant(), SessionFilter.describe(context.filter()), matched, grouping.goroutines(),
        grouping.traceCount(), traces, note));
    long blocked = traces.stream().mapToLong(TraceStacksDocument.Trace::blocked).sum();
    return outcome
        .goroutines(total, matched)
        .traceStacks(traces.stream().limit(SUMMARY_TRACES).map(TraceStacks::summary).toList())
        .message(String.format(Locale.ROOT, "%d trace(s) across %,d goroutine(s), %,d of them blocked%s",
            grouping.traceCount(), grouping.goroutines(), blocked, note == null ? "" : "; " + note))
        .build();
  }

  /** Adds the profile's traced samples to {@code grouping}; returns the profile of just those samples. */
  private static PprofProfile fromProfile(CaptureContext context, PprofProfile profile, TraceGrouping grouping) {
    ProfileFrames frames = new ProfileFrames(profile);
    Samples samples = profile.samples();
    Samples.Builder traced = Samples.builder();
    int kept = 0;
    for (int s = 0; s < samples.size(); s++) {
      Map<String, String> labels = frames.labels(s);
      Optional<TraceContext> trace = TraceLabels.of(labels);
      if (trace.isEmpty()) {
        continue;
      }
      List<StackFrame> stack = frames.stack(s, TraceGrouping.MAX_FRAMES);
      boolean blocked = !stack.isEmpty() && BlockedFrames.isParked(stack.get(0).function());
      grouping.add(trace.get(), samples.valueCount(s) > 0 ? samples.value(s, 0) : 0, stack, blocked,
          context.redactor().labels(labels));
      long[] values = new long[samples.valueCount(s)];
      for (int v = 0; v < values.length; v++) {
        values[v] = samples.value(s, v);
      }
      List<PprofProfile.Label> sampleLabels = new ArrayList<>();
      for (int j = 0; j < samples.labelCount(s); j++) {
        sampleLabels.add(samples.label(s, j));
      }
      traced.add(samples.locationIds(s), values, sampleLabels);
      kept++;
    }
    if (kept == samples.size()) {
      return profile;
    }
    // Same tables, fewer samples: valid for pprof, which does not mind entries no sample uses.
    return new PprofProfile(profile.sampleTypes(), traced.build(), profile.mappings(), profile.locations(),
        profile.functions(), profile.strings(), profile.dropFrames(), profile.keepFrames(), profile.timeNanos(),
        profile.durationNanos(), profile.periodType(), profile.period(), profile.comments(),
        profile.defaultSampleType(), profile.docUrl());
  }

  private static GoroutineCaptureResult fromDelve(CaptureContext context, TraceGrouping grouping) {
    LabelMatcher matcher = context.filter();
    boolean namesTraceKey = matcher.keys().stream().anyMatch(TraceStacks::isTraceKey);
    if (matcher.traceId().isEmpty() && !namesTraceKey) {
      matcher = matcher.withKey(TraceLabels.TRACEPARENT);
    }
    GoroutineCaptureResult result = DelveGoroutineSource.capture(context, GoroutineQuery.of(matcher),
        Duration.ofMillis(Math.max(1, context.plan().pauseBudgetMs())));
    for (CapturedGoroutine g : result.goroutines()) {
      Optional<TraceContext> trace = TraceLabels.of(g.labels());
      if (trace.isPresent()) {
        List<StackFrame> stack = g.stack().isEmpty() ? List.of(g.current()) : g.stack();
        boolean blocked = g.stack().isEmpty() ? "waiting".equals(g.status())
            : BlockedFrames.isParked(stack.get(0).function());
        grouping.add(trace.get(), 1, stack, blocked, context.redactor().labels(g.labels()));
      }
    }
    return result;
  }

  private static boolean isTraceKey(String key) {
    return key.equals(TraceLabels.TRACEPARENT) || key.equals(TraceLabels.TRACE_ID)
        || key.equals(TraceLabels.OTEL_TRACE_ID) || key.equals(TraceLabels.DATADOG_LOCAL_ROOT_SPAN_ID);
  }

  /** A trace as the status shows it: where its largest group of goroutines is, runtime frames dropped. */
  private static SidecarReport.TraceStacks summary(TraceStacksDocument.Trace trace) {
    List<String> frames = trace.stacks().isEmpty() ? List.of()
        : BlockedFrames.withoutRuntimeTop(trace.stacks().get(0).frames().stream().map(StackFrame::function).toList());
    return new SidecarReport.TraceStacks(trace.traceId(), (int) Math.min(Integer.MAX_VALUE, trace.goroutines()),
        (int) Math.min(Integer.MAX_VALUE, trace.blocked()), frames.stream().limit(SUMMARY_FRAMES).toList());
  }
}
