package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.SidecarReport.ArtifactRecord;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.capture.CaptureResult;
import dev.gopherscope.sidecar.trigger.TriggerOutcome;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodRunVerdictTest {

  private static final ArtifactRecord REPORT = new ArtifactRecord("report.json", "Report", 10, "aa", "Uploaded", null);

  @Test
  void doneOnlyWhenEveryCaptureSucceededAndEveryArtifactArrived() {
    PodRun.Verdict verdict = PodRun.Verdict.of(new SessionRun.Outcome(List.of(capture("Heap", true, "ok")),
        List.of(artifact("heap.pb.gz", "Uploaded")), REPORT, SessionRun.Pauses.NONE, Optional.empty()));

    assertThat(verdict.done()).isTrue();
    assertThat(verdict.reason()).isNull();
    assertThat(verdict.message()).isEqualTo("1 capture(s) done, 2 artifact(s) uploaded");
  }

  @Test
  void aTriggerThatNeverFiredNamesItselfNotTheCapturesItStopped() {
    TriggerOutcome never = new TriggerOutcome(TriggerOutcome.State.NeverFired, TriggerOutcome.NEVER_FIRED,
        "the trigger (goroutines above 500) never fired: 12 poll(s), now 80 goroutines, peak 91 goroutines", 12, 80L,
        91L, 3, null, Optional.empty(), List.of());
    PodRun.Verdict verdict = PodRun.Verdict.of(new SessionRun.Outcome(List.of(capture("Heap", false,
        "not started: the trigger never fired")), List.of(artifact("trigger.json", "Uploaded")), REPORT,
        SessionRun.Pauses.NONE, Optional.of(never)));

    assertThat(verdict.done()).isFalse();
    assertThat(verdict.reason()).isEqualTo("TriggerNeverFired");
    assertThat(verdict.message()).isEqualTo("the trigger (goroutines above 500) never fired: 12 poll(s), now 80 "
        + "goroutines, peak 91 goroutines; no capture ran; 2 artifact(s) uploaded");
  }

  @Test
  void aFailedCaptureFailsTheTargetAndIsNamed() {
    PodRun.Verdict verdict = PodRun.Verdict.of(new SessionRun.Outcome(List.of(capture("Heap", true, "ok"),
        capture("Mutex", false, "connection refused")), List.of(artifact("heap.pb.gz", "Uploaded")), REPORT, SessionRun.Pauses.NONE, Optional.empty()));

    assertThat(verdict.done()).isFalse();
    assertThat(verdict.reason()).isEqualTo("CaptureFailed");
    assertThat(verdict.message()).isEqualTo("1 of 2 capture(s) failed; first: Mutex: connection refused; "
        + "2 artifact(s) uploaded, 0 failed");
  }

  @Test
  void theFirstFailureNamesTheReason() {
    CaptureResult exited = new CaptureResult(new CaptureOutcome(1, "CPUProfile", "Pprof", false, 0, false,
        "the target process pid 7 exited during capture 2/3 (CPUProfile)", null, null, null, null, null), List.of(),
        CaptureResult.TARGET_EXITED);
    CaptureResult notStarted = new CaptureResult(new CaptureOutcome(2, "Heap", "Pprof", false, 0, false,
        "not started", null, null, null, null, null), List.of(), CaptureResult.TARGET_EXITED);
    PodRun.Verdict verdict = PodRun.Verdict.of(new SessionRun.Outcome(List.of(capture("Goroutines", true, "ok"), exited,
        notStarted), List.of(artifact("goroutines-1.json", "Uploaded")), REPORT, SessionRun.Pauses.NONE, Optional.empty()));

    assertThat(verdict.reason()).isEqualTo("TargetExited");
    assertThat(verdict.message()).startsWith("2 of 3 capture(s) failed; first: CPUProfile: the target process pid 7 "
        + "exited during capture 2/3 (CPUProfile)");
  }

  @Test
  void lostArtifactsFailTheTargetAndAreEachNamed() {
    PodRun.Verdict verdict = PodRun.Verdict.of(new SessionRun.Outcome(List.of(capture("Heap", true, "ok")),
        List.of(artifact("heap.pb.gz", "Failed"), artifact("heap.html", "Uploaded"), artifact("cpu.pb.gz", "Failed")),
        REPORT, SessionRun.Pauses.NONE, Optional.empty()));

    assertThat(verdict.reason()).isEqualTo("UploadFailed");
    assertThat(verdict.message()).isEqualTo("2 of 4 artifact(s) not uploaded: heap.pb.gz, cpu.pb.gz; store down");
  }

  private static CaptureResult capture(String kind, boolean ok, String message) {
    return new CaptureResult(new CaptureOutcome(0, kind, "Pprof", ok, 0, false, message, null, null, null, null, null),
        List.of());
  }

  private static ArtifactRecord artifact(String name, String state) {
    return new ArtifactRecord(name, "Heap", 100, "bb", state, state.equals("Failed") ? "store down" : null);
  }
}
