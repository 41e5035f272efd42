package dev.gopherscope.sidecar.capture;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gopherscope.sidecar.pprof.StackFrame;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code trace-stacks.json}: every goroutine that carries a trace id in its pprof labels, blocked
 * ones included, grouped by trace and, within a trace, by stack. Traces with the most goroutines
 * come first; goroutines without a trace id are not in it.
 *
 * @param goroutines goroutines that passed the session's filter
 * @param tracedGoroutines those of them that carry a trace id
 * @param traceCount traces seen; {@code traces} holds the first {@link TraceGrouping#MAX_TRACES}
 * @param note what else a reader should know (a Delve scan the budget cut short, say)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceStacksDocument(String pod, String source, Instant capturedAt, String filter, long goroutines,
    long tracedGoroutines, int traceCount, List<Trace> traces, String note) {

  /**
   * One trace's goroutines on this target.
   *
   * @param spanIds the span ids its goroutines carry, sorted, bounded
   * @param blocked goroutines parked (see {@link BlockedFrames})
   * @param stacks its goroutines grouped by stack, largest first; {@code moreStacks} left out
   */
  public record Trace(String traceId, List<String> spanIds, long goroutines, long blocked, List<Stack> stacks,
      int moreStacks) {
  }

  /**
   * Goroutines of one trace with the same stack.
   *
   * @param labels the pprof labels of the first of them
   * @param frames the whole stack, innermost first, with file and line
   */
  public record Stack(long count, boolean blocked, Map<String, String> labels, List<StackFrame> frames) {
  }
}
