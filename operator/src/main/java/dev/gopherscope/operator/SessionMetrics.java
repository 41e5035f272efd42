package dev.gopherscope.operator;

import dev.gopherscope.api.v1alpha1.SessionPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The operator's own metrics, beside JOSDK's: sessions by phase, injection latency, reconcile errors. */
public final class SessionMetrics {

  private final Map<String, SessionPhase> phases = new ConcurrentHashMap<>();
  private final Timer injectionLatency;
  private final Counter reconcileErrors;
  private final Counter injections;
  private final Timer reconcileDuration;

  public SessionMetrics(MeterRegistry registry) {
    for (SessionPhase phase : SessionPhase.values()) {
      Gauge.builder("gopherscope_sessions", phases, m -> m.values().stream().filter(p -> p == phase).count())
          .tag("phase", phase.name()).description("DebugSessions by phase").register(registry);
    }
    injectionLatency = Timer.builder("gopherscope_injection_latency")
        .description("from a session's creation to its debugger container being injected")
        .publishPercentiles(0.5, 0.99).register(registry);
    reconcileErrors = Counter.builder("gopherscope_reconcile_errors").description("reconciles that threw")
        .register(registry);
    injections = Counter.builder("gopherscope_injections").description("debugger containers injected")
        .register(registry);
    reconcileDuration = Timer.builder("gopherscope_reconcile_duration").description("one reconcile of one session")
        .publishPercentiles(0.5, 0.99).register(registry);
  }

  public Timer reconcileDuration() {
    return reconcileDuration;
  }

  public void phase(String sessionUid, SessionPhase phase) {
    phases.put(sessionUid, phase);
  }

  public void forget(String sessionUid) {
    phases.remove(sessionUid);
  }

  public void injected(Duration sinceCreation) {
    injections.increment();
    injectionLatency.record(sinceCreation);
  }

  public void reconcileError() {
    reconcileErrors.increment();
  }

  /** Sessions not yet Succeeded or Failed, as this operator last saw them. */
  public long active() {
    return phases.values().stream().filter(p -> p != SessionPhase.Succeeded && p != SessionPhase.Failed).count();
  }
}
