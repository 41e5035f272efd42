package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.pprof.StackFrame;
import dev.gopherscope.sidecar.pprof.TraceContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Collects goroutines by trace id and, within a trace, by stack (function names), whichever source
 * they came from. Bounded as it goes: a trace keeps at most {@link #MAX_SPAN_IDS} span ids, and
 * the result at most {@link #MAX_TRACES} traces of {@link #MAX_STACKS} stacks each.
 */
final class TraceGrouping {

  static final int MAX_TRACES = 500;
  static final int MAX_STACKS = 50;
  static final int MAX_SPAN_IDS = 64;
  static final int MAX_FRAMES = 256;

  private final Map<String, Trace> traces = new HashMap<>();
  private long goroutines;

  /** Adds {@code count} goroutines of {@code trace} sharing one stack. */
  void add(TraceContext trace, long count, List<StackFrame> frames, boolean blocked, Map<String, String> labels) {
    Trace t = traces.computeIfAbsent(trace.traceId(), Trace::new);
    trace.spanId().ifPresent(span -> {
      if (t.spanIds.size() < MAX_SPAN_IDS) {
        t.spanIds.add(span);
      }
    });
    t.goroutines += count;
    t.blocked += blocked ? count : 0;
    List<String> key = frames.stream().map(StackFrame::function).toList();
    Stack stack = t.stacks.computeIfAbsent(key, k -> new Stack(frames, blocked, labels));
    stack.count += count;
    goroutines += count;
  }

  long goroutines() {
    return goroutines;
  }

  int traceCount() {
    return traces.size();
  }

  /** The traces, most goroutines first (then by id, so equal runs compare alike). */
  List<TraceStacksDocument.Trace> traces() {
    List<Trace> sorted = new ArrayList<>(traces.values());
    sorted.sort(Comparator.comparingLong((Trace t) -> -t.goroutines).thenComparing(t -> t.traceId));
    List<TraceStacksDocument.Trace> out = new ArrayList<>();
    for (Trace t : sorted.subList(0, Math.min(MAX_TRACES, sorted.size()))) {
      List<Stack> stacks = new ArrayList<>(t.stacks.values());
      stacks.sort(Comparator.comparingLong((Stack s) -> -s.count));
      out.add(new TraceStacksDocument.Trace(t.traceId, List.copyOf(t.spanIds), t.goroutines, t.blocked,
          stacks.stream().limit(MAX_STACKS)
              .map(s -> new TraceStacksDocument.Stack(s.count, s.blocked, s.labels, s.frames)).toList(),
          Math.max(0, stacks.size() - MAX_STACKS)));
    }
    return out;
  }

  private static final class Trace {
    final String traceId;
    final TreeSet<String> spanIds = new TreeSet<>();
    final Map<List<String>, Stack> stacks = new LinkedHashMap<>();
    long goroutines;
    long blocked;

    Trace(String traceId) {
      this.traceId = traceId;
    }
  }

  private static final class Stack {
    final List<StackFrame> frames;
    final boolean blocked;
    final Map<String, String> labels;
    long count;

    Stack(List<StackFrame> frames, boolean blocked, Map<String, String> labels) {
      this.frames = List.copyOf(frames.subList(0, Math.min(MAX_FRAMES, frames.size())));
      this.blocked = blocked;
      this.labels = labels;
    }
  }
}
