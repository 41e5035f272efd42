package dev.gopherscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What to debug and how; immutable once created, like a Job's template. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf",
    message = "spec is immutable once the session exists: delete the DebugSession and create a new one")
@ValidationRule(value = "!self.captures.exists(c, c.kind in ['CPUProfile', 'Heap', 'Allocs', 'Block', 'Mutex', 'ExecutionTrace', 'RuntimeHealth', 'GoroutineLeaks']) || has(self.pprof)",
    message = "CPUProfile, Heap, Allocs, Block, Mutex, ExecutionTrace, RuntimeHealth and GoroutineLeaks captures read the app's net/http/pprof endpoint: set spec.pprof.port")
@ValidationRule(value = "!self.captures.exists(c, has(c.source) && c.source == 'Pprof') || has(self.pprof)",
    message = "a capture with source Pprof needs spec.pprof.port")
@ValidationRule(value = "!has(self.trigger) || has(self.trigger.breakpoint) || has(self.pprof)",
    message = "a goroutinesAbove, heapInUseAbove or labelAppears trigger polls the app's net/http/pprof endpoint: set spec.pprof.port")
public class DebugSessionSpec {

  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

  @Required
  @JsonPropertyDescription("Which pods and which container to debug.")
  private TargetSpec target;

  @JsonPropertyDescription("Where the app serves net/http/pprof on the pod's loopback. Without it, goroutine "
      + "captures use Delve (which halts the target) and profile captures are unavailable.")
  private PprofEndpoint pprof;

  @JsonPropertyDescription("Which goroutines matter: pprof labels and/or one trace. Applies to Goroutines, "
      + "TraceStacks, CPUProfile and ExecutionTrace captures.")
  private GoroutineFilter filter;

  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(value = "self.all(c, c.kind == 'Snapshot' || self.filter(d, d.kind == c.kind).size() == 1)",
      message = "each capture kind may appear once (Snapshot once per location)")
  @ValidationRule(value = "self.filter(c, c.kind == 'Snapshot').all(c, self.filter(d, d.kind == 'Snapshot' && has(d.location) && has(c.location) && d.location == c.location).size() <= 1)",
      message = "each capture kind may appear once (Snapshot once per location)")
  @JsonPropertyDescription("What to capture from each target, in order.")
  private List<Capture> captures = new ArrayList<>();

  @JsonPropertyDescription("Wait for a condition before capturing: each target stays Armed until it holds in its pod "
      + "(goroutines above N, heap in use above a quantity, goroutines with a label value, or a breakpoint hit), then "
      + "runs the captures. spec.timeout covers the wait and the captures; a trigger that never fires fails the "
      + "session with TriggerNeverFired.")
  private Trigger trigger;

  @Default("100ms")
  @Size(max = 32)
  @Pattern(DURATION_PATTERN)
  @ValidationRule(value = "duration(self) > duration('0s') && duration(self) <= duration('10s')",
      message = "pauseBudget must be a duration above 0 and at most 10s, e.g. 100ms")
  @JsonPropertyDescription("The most any target may be halted by one capture (Go duration, e.g. 100ms). A "
      + "watchdog resumes the target when it is spent. Captures from pprof never halt.")
  private String pauseBudget;

  @Default("3s")
  @Size(max = 32)
  @Pattern(DURATION_PATTERN)
  @ValidationRule(value = "duration(self) > duration('0s') && duration(self) <= duration('30s')",
      message = "attachPauseBudget must be a duration above 0 and at most 30s, e.g. 3s")
  @JsonPropertyDescription("The most attaching the debugger (Delve) may halt a target, once per attach, while it "
      + "loads the binary's debug info (Go duration, e.g. 3s). The sidecar predicts it from the binary's DWARF "
      + "before attaching and runs no Delve capture when it does not fit; a watchdog resumes the target if a real "
      + "attach overruns it. pprof captures never attach.")
  private String attachPauseBudget;

  @Default("10m")
  @Size(max = 32)
  @Pattern(DURATION_PATTERN)
  @ValidationRule(value = "duration(self) >= duration('10s') && duration(self) <= duration('6h')",
      message = "timeout must be between 10s and 6h")
  @JsonPropertyDescription("The session fails if it has not finished this long after it was created (Go "
      + "duration), whatever it is waiting for.")
  private String timeout;

  @Min(0)
  @Max(604800)
  @Default("3600")
  @JsonPropertyDescription("Seconds after the session finished until the operator deletes it and what it created "
      + "(at most 7 days).")
  private Integer ttlSecondsAfterFinished;

  @JsonPropertyDescription("Where artifacts go; defaults come from the operator's configuration.")
  private OutputSpec output;

  @Size(max = 16)
  @JsonPropertyDescription("Regular expressions in RE2 syntax (as Go's regexp); label values and locals that "
      + "match are replaced by [REDACTED] before they leave the pod. They run in the target's pod on values an "
      + "attacker may control, so they are evaluated by RE2/J in time linear in the input: backreferences "
      + "(\\1) and lookaround ((?=...), (?<=...)) do not exist in RE2. A pattern that does not compile fails "
      + "the session before anything is injected.")
  private List<@Size(min = 1, max = 256) String> redact;

  @Default("Enforce")
  @JsonPropertyDescription("Enforce refuses to inject when the pod's memory headroom cannot fit the debugger; "
      + "Warn injects anyway and says so in a condition.")
  private MemoryHeadroomCheck memoryHeadroomCheck;

  public TargetSpec getTarget() {
    return target;
  }

  public void setTarget(TargetSpec target) {
    this.target = target;
  }

  public PprofEndpoint getPprof() {
    return pprof;
  }

  public void setPprof(PprofEndpoint pprof) {
    this.pprof = pprof;
  }

  public GoroutineFilter getFilter() {
    return filter;
  }

  public void setFilter(GoroutineFilter filter) {
    this.filter = filter;
  }

  public List<Capture> getCaptures() {
    return captures;
  }

  public void setCaptures(List<Capture> captures) {
    this.captures = captures;
  }

  public Trigger getTrigger() {
    return trigger;
  }

  public void setTrigger(Trigger trigger) {
    this.trigger = trigger;
  }

  public String getAttachPauseBudget() {
    return attachPauseBudget;
  }

  public void setAttachPauseBudget(String attachPauseBudget) {
    this.attachPauseBudget = attachPauseBudget;
  }

  public String getPauseBudget() {
    return pauseBudget;
  }

  public void setPauseBudget(String pauseBudget) {
    this.pauseBudget = pauseBudget;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public Integer getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  public OutputSpec getOutput() {
    return output;
  }

  public void setOutput(OutputSpec output) {
    this.output = output;
  }

  public List<String> getRedact() {
    return redact;
  }

  public void setRedact(List<String> redact) {
    this.redact = redact;
  }

  public MemoryHeadroomCheck getMemoryHeadroomCheck() {
    return memoryHeadroomCheck;
  }

  public void setMemoryHeadroomCheck(MemoryHeadroomCheck memoryHeadroomCheck) {
    this.memoryHeadroomCheck = memoryHeadroomCheck;
  }
}
