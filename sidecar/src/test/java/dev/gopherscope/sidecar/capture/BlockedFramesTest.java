package dev.gopherscope.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockedFramesTest {

  @ParameterizedTest
  @ValueSource(strings = {"runtime.gopark", "runtime.goparkunlock", "runtime.notetsleepg", "runtime.selectgo",
      "sync.runtime_SemacquireMutex", "sync.runtime_Semacquire", "sync.runtime_notifyListWait", "time.Sleep",
      "runtime.netpollblock", "internal/poll.runtime_pollWait", "runtime.chanrecv1"})
  void aParkFunctionOnTopMeansBlocked(String top) {
    assertThat(BlockedFrames.isBlocked(List.of(top, "main.handler"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"crypto/sha256.Sum256", "runtime.asyncPreempt2", "syscall.Syscall6", "main.burnCPU",
      "runtime.goroutineProfileWithLabels", "runtime.mallocgc"})
  void anythingElseOnTopIsNot(String top) {
    assertThat(BlockedFrames.isBlocked(List.of(top, "main.handler"))).isFalse();
  }

  @Test
  void onlyTheTopFrameCounts() {
    assertThat(BlockedFrames.isBlocked(List.of("main.burnCPU", "runtime.gopark"))).isFalse();
    assertThat(BlockedFrames.isBlocked(List.of())).isFalse();
  }

  @Test
  void theSummaryDropsTheRuntimesFramesOnTop() {
    assertThat(BlockedFrames.withoutRuntimeTop(List.of("runtime.gopark", "runtime.chanrecv", "runtime.chanrecv1",
        "main.waitOnChannel", "main.handleBlock"))).containsExactly("main.waitOnChannel", "main.handleBlock");
    assertThat(BlockedFrames.withoutRuntimeTop(List.of("runtime.main"))).containsExactly("runtime.main");
  }
}
