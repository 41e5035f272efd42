package dev.gopherscope.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.api.v1alpha1.CaptureKind;
import dev.gopherscope.api.v1alpha1.CaptureSource;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.MemoryHeadroomCheck;
import dev.gopherscope.api.v1alpha1.TargetSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags as picocli parses them, turned into the spec: each flag lands on the field of its name. */
class SessionFactoryTest {

  private static <V extends CaptureVerb> DebugSession build(V verb, String... args) {
    new CommandLine(verb).parseArgs(args);
    TargetSpec target = new TargetSpec();
    if (verb.session.selector != null) {
      target.setSelector(SelectorParser.parse(verb.session.selector));
    } else {
      target.setPodName(verb.session.target.substring(verb.session.target.indexOf('/') + 1));
    }
    return SessionFactory.build("goroutines", verb.session, target, "shop", List.of(verb.capture()));
  }

  @Test
  void aWhenFlagArmsTheSessionWithThatTrigger() {
    DebugSession heap = build(new GoroutinesVerb(), "pod/p", "--pprof-port", "6060", "--when-heap-above", "512Mi",
        "--poll-interval", "10s");
    assertThat(heap.getSpec().getTrigger().getHeapInUseAbove()).isEqualTo("512Mi");
    assertThat(heap.getSpec().getTrigger().getPollInterval()).isEqualTo("10s");
    DebugSession hit = build(new GoroutinesVerb(), "pod/p", "--when-hit", "main.burnCPU", "--when-condition",
        "d > 2000000000");
    assertThat(hit.getSpec().getTrigger().getBreakpoint().getLocation()).isEqualTo("main.burnCPU");
    assertThat(hit.getSpec().getTrigger().getBreakpoint().getCondition()).isEqualTo("d > 2000000000");
    DebugSession labelled = build(new GoroutinesVerb(), "pod/p", "--pprof-port", "6060", "--when-label",
        "route=/checkout", "--when-label", "tenant=a");
    assertThat(labelled.getSpec().getTrigger().getLabelAppears()).containsExactly(Map.entry("route", "/checkout"),
        Map.entry("tenant", "a"));
    assertThat(build(new GoroutinesVerb(), "pod/p").getSpec().getTrigger()).isNull();
  }

  @Test
  void whenFlagsThatContradictEachOtherAreRefused() {
    assertThatThrownBy(() -> build(new GoroutinesVerb(), "pod/p", "--when-goroutines-above", "5", "--when-hit", "main.f"))
        .hasMessage("use one of --when-goroutines-above, --when-heap-above, --when-label or --when-hit");
    assertThatThrownBy(() -> build(new GoroutinesVerb(), "pod/p", "--when-condition", "x > 1"))
        .hasMessage("--when-condition needs --when-hit LOCATION");
    assertThatThrownBy(() -> build(new GoroutinesVerb(), "pod/p", "--poll-interval", "2s"))
        .hasMessage("--poll-interval needs a --when-... condition");
  }

  @Test
  void everyFlagSetsItsSpecField() {
    DebugSession s = build(new GoroutinesVerb(), "-l", "app=checkout", "-c", "app", "--process", "demo", "--max-pods", "3",
        "--pprof-port", "6060", "--pprof-path", "/pprof", "--label", "route=/checkout", "--label-key", "tenant",
        "--traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "--pause-budget", "50ms",
        "--attach-pause-budget", "2s", "--timeout", "5m", "--ttl", "600", "--redact", "secret", "--bucket", "dbg",
        "--memory-check", "warn", "--source", "Pprof", "--count", "3", "--every", "2s", "--name", "mine");
    assertThat(s.getMetadata().getName()).isEqualTo("mine");
    assertThat(s.getMetadata().getNamespace()).isEqualTo("shop");
    var spec = s.getSpec();
    assertThat(spec.getTarget().getSelector().getMatchLabels()).isEqualTo(Map.of("app", "checkout"));
    assertThat(spec.getTarget().getContainer()).isEqualTo("app");
    assertThat(spec.getTarget().getProcessName()).isEqualTo("demo");
    assertThat(spec.getTarget().getMaxPods()).isEqualTo(3);
    assertThat(spec.getPprof().getPort()).isEqualTo(6060);
    assertThat(spec.getPprof().getPath()).isEqualTo("/pprof");
    assertThat(spec.getFilter().getLabels()).isEqualTo(Map.of("route", "/checkout"));
    assertThat(spec.getFilter().getLabelKeys()).containsExactly("tenant");
    assertThat(spec.getFilter().getTraceparent()).startsWith("00-4bf92f");
    assertThat(spec.getPauseBudget()).isEqualTo("50ms");
    assertThat(spec.getAttachPauseBudget()).isEqualTo("2s");
    assertThat(spec.getTimeout()).isEqualTo("5m");
    assertThat(spec.getTtlSecondsAfterFinished()).isEqualTo(600);
    assertThat(spec.getRedact()).containsExactly("secret");
    assertThat(spec.getOutput().getBucket()).isEqualTo("dbg");
    assertThat(spec.getMemoryHeadroomCheck()).isEqualTo(MemoryHeadroomCheck.Warn);
    assertThat(spec.getCaptures()).singleElement().satisfies(c -> {
      assertThat(c.getKind()).isEqualTo(CaptureKind.Goroutines);
      assertThat(c.getSource()).isEqualTo(CaptureSource.Pprof);
      assertThat(c.getCount()).isEqualTo(3);
      assertThat(c.getEvery()).isEqualTo("2s");
    });
  }

  @Test
  void unsetFlagsLeaveTheOperatorsDefaults() {
    DebugSession s = build(new CpuVerb(), "pod/checkout-0", "--pprof-port", "6060", "--duration", "20s");
    assertThat(s.getMetadata().getName()).matches("goroutines-[a-z0-9]{5}");
    assertThat(s.getSpec().getTarget().getPodName()).isEqualTo("checkout-0");
    assertThat(s.getSpec().getFilter()).isNull();
    assertThat(s.getSpec().getPauseBudget()).isNull();
    assertThat(s.getSpec().getCaptures()).singleElement().satisfies(c -> {
      assertThat(c.getKind()).isEqualTo(CaptureKind.CPUProfile);
      assertThat(c.getDuration()).isEqualTo("20s");
    });
  }

  @Test
  void snapshotFlagsAndMisplacedMaxPods() {
    DebugSession s = build(new SnapshotVerb(), "pod/p", "--location", "main.handleCheckout", "--condition", "id > 0",
        "--max-hits", "5", "--locals", "--no-args");
    assertThat(s.getSpec().getCaptures()).singleElement().satisfies(c -> {
      assertThat(c.getLocation()).isEqualTo("main.handleCheckout");
      assertThat(c.getCondition()).isEqualTo("id > 0");
      assertThat(c.getMaxHits()).isEqualTo(5);
      assertThat(c.getLoadLocals()).isTrue();
      assertThat(c.getLoadArgs()).isFalse();
    });
    assertThatThrownBy(() -> build(new HeapVerb(), "pod/p", "--max-pods", "2"))
        .hasMessageContaining("--max-pods applies to a selector or workload");
  }
}
