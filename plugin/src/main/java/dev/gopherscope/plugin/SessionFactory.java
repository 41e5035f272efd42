package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Capture;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionSpec;
import dev.gopherscope.api.v1alpha1.GoroutineFilter;
import dev.gopherscope.api.v1alpha1.MemoryHeadroomCheck;
import dev.gopherscope.api.v1alpha1.OutputSpec;
import dev.gopherscope.api.v1alpha1.PprofEndpoint;
import dev.gopherscope.api.v1alpha1.TargetSpec;
import dev.gopherscope.api.v1alpha1.Trigger;
import dev.gopherscope.api.v1alpha1.TriggerBreakpoint;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;

/** The DebugSession a verb's flags describe: each flag sets the spec field of the same name. */
final class SessionFactory {

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionFactory() {
  }

  static DebugSession build(String verb, SessionOptions o, TargetSpec target, String namespace, List<Capture> captures) {
    target.setContainer(o.container);
    target.setProcessName(o.processName);
    if (o.maxPods != null) {
      if (target.getSelector() == null) {
        throw new UserError("--max-pods applies to a selector or workload, not to one pod");
      }
      target.setMaxPods(o.maxPods);
    }
    DebugSessionSpec spec = new DebugSessionSpec();
    spec.setTarget(target);
    if (o.pprofPort != null) {
      PprofEndpoint pprof = new PprofEndpoint();
      pprof.setPort(o.pprofPort);
      pprof.setPath(o.pprofPath);
      spec.setPprof(pprof);
    } else if (o.pprofPath != null) {
      throw new UserError("--pprof-path needs --pprof-port");
    }
    spec.setFilter(filter(o));
    spec.setTrigger(trigger(o));
    spec.setCaptures(captures);
    spec.setPauseBudget(o.pauseBudget);
    spec.setAttachPauseBudget(o.attachPauseBudget);
    spec.setTimeout(o.timeout);
    spec.setTtlSecondsAfterFinished(o.ttlSecondsAfterFinished);
    spec.setRedact(o.redact.isEmpty() ? null : o.redact);
    if (o.bucket != null) {
      OutputSpec output = new OutputSpec();
      output.setBucket(o.bucket);
      spec.setOutput(output);
    }
    if (o.memoryHeadroomCheck != null) {
      spec.setMemoryHeadroomCheck(memoryCheck(o.memoryHeadroomCheck));
    }
    DebugSession session = new DebugSession();
    session.setMetadata(new ObjectMetaBuilder().withName(o.name != null ? o.name : generatedName(verb))
        .withNamespace(namespace).build());
    session.setSpec(spec);
    return session;
  }

  private static GoroutineFilter filter(SessionOptions o) {
    if (o.labels.isEmpty() && o.labelKeys.isEmpty() && o.traceparent == null && o.traceId == null) {
      return null;
    }
    GoroutineFilter filter = new GoroutineFilter();
    filter.setLabels(o.labels.isEmpty() ? null : o.labels);
    filter.setLabelKeys(o.labelKeys.isEmpty() ? null : o.labelKeys);
    filter.setTraceparent(o.traceparent);
    filter.setTraceId(o.traceId);
    return filter;
  }

  /** The one --when-... flag as spec.trigger; null without one. */
  private static Trigger trigger(SessionOptions o) {
    Trigger trigger = new Trigger();
    int conditions = 0;
    if (o.whenGoroutinesAbove != null) {
      trigger.setGoroutinesAbove(o.whenGoroutinesAbove);
      conditions++;
    }
    if (o.whenHeapAbove != null) {
      trigger.setHeapInUseAbove(o.whenHeapAbove);
      conditions++;
    }
    if (!o.whenLabels.isEmpty()) {
      trigger.setLabelAppears(o.whenLabels);
      conditions++;
    }
    if (o.whenHit != null) {
      TriggerBreakpoint breakpoint = new TriggerBreakpoint();
      breakpoint.setLocation(o.whenHit);
      breakpoint.setCondition(o.whenCondition);
      trigger.setBreakpoint(breakpoint);
      conditions++;
    } else if (o.whenCondition != null) {
      throw new UserError("--when-condition needs --when-hit LOCATION");
    }
    if (conditions > 1) {
      throw new UserError("use one of --when-goroutines-above, --when-heap-above, --when-label or --when-hit");
    }
    if (conditions == 0) {
      if (o.pollInterval != null) {
        throw new UserError("--poll-interval needs a --when-... condition");
      }
      return null;
    }
    trigger.setPollInterval(o.pollInterval);
    return trigger;
  }

  private static MemoryHeadroomCheck memoryCheck(String value) {
    for (MemoryHeadroomCheck check : MemoryHeadroomCheck.values()) {
      if (check.name().equalsIgnoreCase(value)) {
        return check;
      }
    }
    throw new UserError("--memory-check is Enforce or Warn, not " + value);
  }

  /** {@code <verb>-<5 letters>}: unique enough per namespace, short enough for the debugger container's name. */
  static String generatedName(String verb) {
    StringBuilder name = new StringBuilder(verb.toLowerCase(Locale.ROOT)).append('-');
    for (int i = 0; i < 5; i++) {
      name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }
}
