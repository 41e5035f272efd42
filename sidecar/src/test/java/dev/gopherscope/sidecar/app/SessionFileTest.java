package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.SidecarPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionFileTest {

  private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  @Test
  void aDebugSessionFileIsPlannedAsTheOperatorWouldPlanIt() throws Exception {
    Path file = dir.resolve("checkout-slow.yaml");
    Files.writeString(file, """
        apiVersion: gopherscope.dev/v1alpha1
        kind: DebugSession
        metadata: {name: checkout-slow, namespace: shop}
        spec:
          target: {podName: checkout-0, container: app}
          pprof: {port: 6060}
          filter: {traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}
          captures:
            - {kind: Goroutines, every: 10s, count: 3}
            - {kind: CPUProfile, duration: 30s}
          timeout: 5m
        """);

    SidecarPlan plan = SessionFile.read(file).withPprofPort(Optional.of(7070)).plan(4242, NOW);

    assertThat(plan.session().namespace()).isEqualTo("shop");
    assertThat(plan.session().name()).isEqualTo("checkout-slow");
    assertThat(plan.pod()).isEqualTo("pid-4242");
    assertThat(plan.pprof().port()).isEqualTo(7070);
    assertThat(plan.pprof().path()).isEqualTo("/debug/pprof");
    assertThat(plan.filter().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(plan.deadline()).isEqualTo(NOW.instant().plus(Duration.ofMinutes(5)));
    assertThat(plan.artifacts()).extracting(SidecarPlan.PlannedArtifact::name).contains("goroutines-3.pb.gz",
        "goroutines-diff.json", "cpu.pb.gz", "cpu.html", "report.json");
  }

  @Test
  void aBareSpecWithoutAPprofPortGetsTheOneOnTheCommandLine() throws Exception {
    Path file = dir.resolve("bare.yml");
    Files.writeString(file, "captures: [{kind: Heap}]\n");

    SidecarPlan plan = SessionFile.read(file).withPprofPort(Optional.of(6061)).plan(1, NOW);

    assertThat(plan.session().name()).isEqualTo("bare");
    assertThat(plan.session().namespace()).isEqualTo("local");
    assertThat(plan.pprof().port()).isEqualTo(6061);
    assertThat(plan.needsDelve()).isFalse();
  }
}
