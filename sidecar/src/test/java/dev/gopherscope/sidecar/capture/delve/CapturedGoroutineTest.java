package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.delve.DelveTypes.Function;
import dev.gopherscope.sidecar.delve.DelveTypes.Goroutine;
import dev.gopherscope.sidecar.delve.DelveTypes.Location;
import dev.gopherscope.sidecar.delve.DelveTypes.Stackframe;
import dev.gopherscope.sidecar.pprof.StackFrame;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapturedGoroutineTest {

  private static final Location WAIT = new Location(1, "workloads.go", 55, new Function("main.waitOnChannel", 1));

  private static Goroutine goroutine(long status, long waitReason, long waitSince) {
    return new Goroutine(42, WAIT, WAIT, null, WAIT, 0, status, waitSince, waitReason, null,
        Map.of("route", "/work/block"));
  }

  @Test
  void namesTheStatusAndTheWaitReasonInTheRuntimesWords() {
    List<String> names = List.of("", "GC assist marking", "IO wait");
    long now = 10_000_000_000L;

    CapturedGoroutine g = CapturedGoroutine.of(goroutine(0x1004, 2, now - 3_000_000_000L),
        List.of(new Stackframe(1, "workloads.go", 55, new Function("main.waitOnChannel", 1), null, null, false, null)),
        code -> names.get((int) code), now);

    assertThat(g.status()).as("the GC's scan bit is not part of the status").isEqualTo("waiting");
    assertThat(g.waitReason()).isEqualTo("IO wait");
    assertThat(g.waitingMs()).isEqualTo(3_000.0);
    assertThat(g.stack()).containsExactly(new StackFrame("main.waitOnChannel", "workloads.go", 55));
    assertThat(g.goStatement()).isEqualTo(new StackFrame("???", "", 0));
    assertThat(g.labels()).containsEntry("route", "/work/block");
  }

  @Test
  void aRunningGoroutineHasNoWaitAndAnUnknownStatusIsShownAsANumber() {
    CapturedGoroutine running = CapturedGoroutine.of(goroutine(2, 7, 0), List.of(), code -> "x", 1);
    CapturedGoroutine odd = CapturedGoroutine.of(goroutine(42, 0, 0), List.of(), code -> "x", 1);

    assertThat(running.status()).isEqualTo("running");
    assertThat(running.waitReason()).isEmpty();
    assertThat(running.waitingMs()).isEqualTo(-1);
    assertThat(odd.status()).isEqualTo("status(42)");
  }
}
