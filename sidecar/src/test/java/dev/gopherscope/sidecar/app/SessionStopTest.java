package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.SidecarPlan.CaptureKindName;
import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarPlan.Source;
import dev.gopherscope.sidecar.capture.CaptureResult;
import dev.gopherscope.sidecar.capture.OutcomeBuilder;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionStopTest {

  private static final CapturePlan GOROUTINES = plan(0, CaptureKindName.Goroutines);
  private static final CapturePlan CPU = plan(1, CaptureKindName.CPUProfile);
  private static final CapturePlan HEAP = plan(2, CaptureKindName.Heap);
  private static final TargetIdentity TARGET = new TargetIdentity(4242, Optional.empty(), "");

  @Test
  void aTargetThatExitedMidCaptureIsNamedAndKeepsWhatTheCaptureSpooled() {
    SpooledArtifact spooled = new SpooledArtifact("cpu.html", "CPUProfile", Path.of("/spool/cpu.html"), 10, "ab",
        "text/html");
    CaptureResult failed = new CaptureResult(OutcomeBuilder.failed(CPU, "connection reset"), List.of(spooled));

    CaptureResult exited = SessionStop.targetExitedDuring(TARGET, CPU, 3, failed);

    assertThat(exited.reason()).isEqualTo("TargetExited");
    assertThat(exited.endsSession()).isTrue();
    assertThat(exited.outcome().message()).isEqualTo("the target process pid 4242 exited during capture 2/3 "
        + "(CPUProfile); the 1 artifact(s) it spooled before are kept; the capture ended with: connection reset");
    assertThat(exited.artifacts()).containsExactly(spooled);
    assertThat(SessionStop.causedBy(CPU, 3, exited).notStarted(HEAP).outcome().message())
        .isEqualTo("not started: the target process exited during capture 2/3 (CPUProfile)");
  }

  @Test
  void aFullSpoolStopsTheCapturesAfterIt() {
    CaptureResult full = new CaptureResult(OutcomeBuilder.failed(CPU, "the spool /s has only 8 KiB free"), List.of(),
        CaptureResult.SPOOL_FULL);

    CaptureResult next = SessionStop.causedBy(CPU, 3, full).notStarted(HEAP);

    assertThat(next.reason()).isEqualTo("SpoolFull");
    assertThat(next.outcome().ok()).isFalse();
    assertThat(next.outcome().message()).isEqualTo("not started: the spool filled up in capture 2/3 (CPUProfile)");
  }

  @Test
  void dlvThatDiedOnItsOwnIsNamedButDoesNotStopTheCapturesThatNeedNoDelve() {
    CaptureResult failed = new CaptureResult(OutcomeBuilder.failed(GOROUTINES, "dlv closed the connection"), List.of());

    CaptureResult died = SessionStop.debuggerExitedDuring(GOROUTINES, 3, failed, "killed by signal 9 (killed)");

    assertThat(died.reason()).isEqualTo("DebuggerExited");
    assertThat(died.outcome().ok()).isFalse();
    assertThat(died.outcome().message()).isEqualTo("dlv exited on its own (killed by signal 9 (killed)) during "
        + "capture 1/3 (Goroutines); its guard resumed the target; the capture ended with: dlv closed the connection");
    assertThat(died.endsSession()).isFalse();
    assertThat(SessionStop.causedBy(GOROUTINES, 3, died)).isNull();
  }

  @Test
  void anOrdinaryFailureDoesNotStopTheSession() {
    assertThat(SessionStop.causedBy(GOROUTINES, 3, new CaptureResult(OutcomeBuilder.failed(GOROUTINES, "refused"),
        List.of()))).isNull();
    assertThat(SessionStop.targetExitedBefore(TARGET, HEAP, 3).notStarted(HEAP).outcome().message())
        .isEqualTo("not started: the target process pid 4242 exited before capture 3/3 (Heap)");
  }

  private static CapturePlan plan(int index, CaptureKindName kind) {
    return new CapturePlan(index, kind, Source.Pprof, 0, 1, 0, null, null, 0, false, false, 0);
  }
}
