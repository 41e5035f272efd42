package dev.gopherscope.sidecar.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.SidecarPlan.TriggerKind;
import dev.gopherscope.contract.SidecarPlan.TriggerPlan;
import dev.gopherscope.sidecar.pprofhttp.PprofFetchException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolledTriggerTest {

  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final TriggerPlan ABOVE_100 = new TriggerPlan(TriggerKind.GoroutinesAbove, 100, null, null, null,
      1_000, false);

  /** A clock the sleeper moves, and polls that take the time they are told to (on the same clock). */
  private static final class FakeTime {
    Instant now = T0;
    final List<Duration> slept = new ArrayList<>();

    Clock clock() {
      return new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
    }

    PolledTrigger.Sleeper sleeper() {
      return d -> {
        slept.add(d);
        now = now.plus(d);
      };
    }
  }

  private static TriggerPoll reading(long... values) {
    Iterator<Long> next = java.util.Arrays.stream(values).boxed().iterator();
    return next::next;
  }

  @Test
  void firesAtTheFirstPollAboveTheThresholdAndKeepsTheReadings() {
    FakeTime time = new FakeTime();
    List<TriggerOutcome> progress = new ArrayList<>();
    TriggerOutcome outcome = new PolledTrigger(ABOVE_100, reading(40, 90, 100, 101), time.clock(), time.sleeper())
        .await(T0.plusSeconds(60), () -> false, progress::add);

    assertThat(outcome.state()).isEqualTo(TriggerOutcome.State.Fired);
    assertThat(outcome.polls()).isEqualTo(4);
    assertThat(outcome.value()).isEqualTo(101);
    assertThat(outcome.peak()).isEqualTo(101);
    assertThat(outcome.message()).isEqualTo("fired: 101 goroutines (goroutines above 100) at poll 4");
    assertThat(outcome.readings()).extracting(TriggerOutcome.Reading::value).containsExactly(40L, 90L, 100L, 101L);
    assertThat(progress).hasSize(3).allMatch(p -> p.state() == TriggerOutcome.State.Armed);
    assertThat(time.slept).containsOnly(Duration.ofSeconds(1));
  }

  @Test
  void aSlowPollStretchesTheIntervalSoPollingStaysUnderTwoPercent() {
    FakeTime time = new FakeTime();
    long[] values = {1, 2, 3, 500};
    int[] polls = {0};
    TriggerPoll slow = () -> {
      long value = values[polls[0]++];
      long busyUntil = System.nanoTime() + 60_000_000L; // a real 60 ms: the app answering a heavy profile
      while (System.nanoTime() < busyUntil) {
        Thread.onSpinWait();
      }
      return value;
    };
    TriggerOutcome outcome = new PolledTrigger(ABOVE_100, slow, time.clock(), time.sleeper())
        .await(T0.plusSeconds(600), () -> false, p -> { });

    assertThat(outcome.fired()).isTrue();
    assertThat(outcome.slowestPollMs()).isGreaterThanOrEqualTo(60);
    for (Duration wait : time.slept) {
      // 60 ms or more busy: at least 49 times that idle, not the 1 s asked for.
      assertThat(wait).isGreaterThanOrEqualTo(Duration.ofMillis(60 * 49));
    }
  }

  @Test
  void neverFiresWhenTheTimeRunsOutAndSaysWhatItSaw() {
    FakeTime time = new FakeTime();
    long[] value = {0};
    TriggerOutcome outcome = new PolledTrigger(ABOVE_100, () -> 50 + (value[0]++ % 7), time.clock(), time.sleeper())
        .await(T0.plusMillis(5_500), () -> false, p -> { });

    assertThat(outcome.state()).isEqualTo(TriggerOutcome.State.NeverFired);
    assertThat(outcome.reason()).isEqualTo("TriggerNeverFired");
    assertThat(outcome.polls()).isEqualTo(6);
    assertThat(outcome.peak()).isEqualTo(55);
    assertThat(outcome.message()).startsWith("the trigger (goroutines above 100) never fired: armed for goroutines "
        + "above 100: 6 poll(s), now 55 goroutines, peak 55 goroutines, slowest poll ");
  }

  @Test
  void threeFailedPollsInARowFailTheTriggerButTwoDoNot() {
    FakeTime time = new FakeTime();
    Iterator<Object> answers = List.<Object>of(10L, "refused", "refused", 20L, "refused", "refused", "refused")
        .iterator();
    TriggerPoll flaky = () -> {
      Object answer = answers.next();
      if (answer instanceof String why) {
        throw new PprofFetchException("the app does not serve pprof on 127.0.0.1:6060 (connection " + why + ")");
      }
      return (Long) answer;
    };
    TriggerOutcome outcome = new PolledTrigger(ABOVE_100, flaky, time.clock(), time.sleeper())
        .await(T0.plusSeconds(60), () -> false, p -> { });

    assertThat(outcome.state()).isEqualTo(TriggerOutcome.State.Failed);
    assertThat(outcome.reason()).isEqualTo("TriggerFailed");
    assertThat(outcome.polls()).isEqualTo(2);
    assertThat(outcome.message()).contains("3 polls in a row failed", "connection refused");
  }

  @Test
  void aTargetThatExitsEndsTheWaitAtOnce() {
    FakeTime time = new FakeTime();
    int[] checks = {0};
    TriggerOutcome outcome = new PolledTrigger(ABOVE_100, reading(1, 2, 3), time.clock(), time.sleeper())
        .await(T0.plusSeconds(60), () -> checks[0]++ >= 2, p -> { });

    assertThat(outcome.state()).isEqualTo(TriggerOutcome.State.Failed);
    assertThat(outcome.reason()).isEqualTo("TargetExited");
    assertThat(outcome.polls()).isEqualTo(2);
  }
}
