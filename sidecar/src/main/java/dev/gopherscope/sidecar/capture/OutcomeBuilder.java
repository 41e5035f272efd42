package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.contract.SidecarReport.ExecutionTraceSummary;
import dev.gopherscope.contract.SidecarReport.HeapGrowth;
import dev.gopherscope.contract.SidecarReport.RateSwitch;
import dev.gopherscope.contract.SidecarReport.LeakSuspect;
import dev.gopherscope.contract.SidecarReport.RuntimeHealthSummary;
import dev.gopherscope.contract.SidecarReport.StackGroup;
import dev.gopherscope.contract.SidecarReport.TraceStacks;
import java.util.List;

/** Assembles a {@link CaptureOutcome}, whose fourteen fields mostly do not apply to any one kind. */
public final class OutcomeBuilder {

  private final CapturePlan plan;
  private boolean ok = true;
  private long pausedMs;
  private boolean budgetExceeded;
  private String message = "";
  private Long goroutines;
  private Long matchedGoroutines;
  private List<StackGroup> topGroups;
  private List<TraceStacks> traceStacks;
  private List<LeakSuspect> leakSuspects;
  private ExecutionTraceSummary executionTrace;
  private RuntimeHealthSummary runtimeHealth;
  private List<HeapGrowth> heapGrowth;
  private RateSwitch rateSwitch;

  private OutcomeBuilder(CapturePlan plan) {
    this.plan = plan;
  }

  public static OutcomeBuilder of(CapturePlan plan) {
    return new OutcomeBuilder(plan);
  }

  /** A capture that did not succeed, saying why. */
  public static CaptureOutcome failed(CapturePlan plan, String message) {
    return of(plan).ok(false).message(message).build();
  }

  public OutcomeBuilder ok(boolean succeeded) {
    this.ok = succeeded;
    return this;
  }

  public OutcomeBuilder message(String text) {
    this.message = text;
    return this;
  }

  public OutcomeBuilder paused(double ms, boolean exceeded) {
    this.pausedMs = Math.round(Math.ceil(ms));
    this.budgetExceeded = exceeded;
    return this;
  }

  public OutcomeBuilder goroutines(long total, long matched) {
    this.goroutines = total;
    this.matchedGoroutines = matched;
    return this;
  }

  public OutcomeBuilder topGroups(List<StackGroup> groups) {
    this.topGroups = List.copyOf(groups);
    return this;
  }

  public OutcomeBuilder traceStacks(List<TraceStacks> traces) {
    this.traceStacks = List.copyOf(traces);
    return this;
  }

  public OutcomeBuilder leakSuspects(List<LeakSuspect> suspects) {
    this.leakSuspects = List.copyOf(suspects);
    return this;
  }

  public OutcomeBuilder executionTrace(ExecutionTraceSummary summary) {
    this.executionTrace = summary;
    return this;
  }

  public OutcomeBuilder runtimeHealth(RuntimeHealthSummary summary) {
    this.runtimeHealth = summary;
    return this;
  }

  public OutcomeBuilder heapGrowth(List<HeapGrowth> growers) {
    this.heapGrowth = List.copyOf(growers);
    return this;
  }

  public OutcomeBuilder rateSwitch(RateSwitch switched) {
    this.rateSwitch = switched;
    return this;
  }

  public CaptureOutcome build() {
    return new CaptureOutcome(plan.index(), plan.kind().name(), plan.source() == null ? null : plan.source().name(),
        ok, pausedMs, budgetExceeded, message, goroutines, matchedGoroutines, topGroups, traceStacks, leakSuspects,
        executionTrace, runtimeHealth, heapGrowth, rateSwitch);
  }
}
