package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watchdog with a hand-driven clock and timer, and once with real threads; no dlv. */
class HaltWatchdogTest {

  private static final Duration MS_50 = Duration.ofMillis(50);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final FakeTimer timer = new FakeTimer();
  private final AtomicInteger releases = new AtomicInteger();
  private final HaltWatchdog watchdog = new HaltWatchdog(releases::incrementAndGet, timer, now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aHaltThatEndsInTimeIsChargedAndDisarmed() {
    PauseBudget budget = PauseBudget.of(MS_50);

    Halt halt = watchdog.begin(budget);
    advance(Duration.ofMillis(30));
    assertThat(halt.remaining()).isEqualTo(Duration.ofMillis(20));
    HaltOutcome outcome = halt.end();

    assertThat(timer.lastDelay()).as("budget plus grace").isEqualTo(Duration.ofMillis(70));
    assertThat(timer.last().isCancelled()).isTrue();
    assertThat(outcome).isEqualTo(new HaltOutcome(Duration.ofMillis(30), false));
    assertThat(budget.spent()).isEqualTo(Duration.ofMillis(30));
    assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(20));
    assertThat(halt.end()).as("idempotent").isSameAs(outcome);
    assertThat(budget.spent()).as("charged once").isEqualTo(Duration.ofMillis(30));
  }

  @Test
  void laterHaltsGetWhatIsLeftOfTheBudget() {
    PauseBudget budget = PauseBudget.of(MS_50);
    Halt first = watchdog.begin(budget);
    advance(Duration.ofMillis(30));
    first.end();

    Halt second = watchdog.begin(budget);
    assertThat(timer.lastDelay()).isEqualTo(Duration.ofMillis(20 + 20));
    advance(Duration.ofMillis(25));
    assertThat(second.remaining()).isZero();
    second.end();
    assertThat(budget.exhausted()).isTrue();

    watchdog.begin(budget);
    assertThat(timer.lastDelay()).as("only the grace is left").isEqualTo(PauseBudget.DEFAULT_GRACE);
  }

  @Test
  void aFloorKeepsTheWatchdogBackForStepsThatMustFinish() {
    PauseBudget budget = PauseBudget.of(MS_50);
    Halt used = watchdog.begin(budget);
    advance(MS_50);
    used.end();

    watchdog.begin(budget, Duration.ofSeconds(1));

    assertThat(timer.lastDelay()).isEqualTo(Duration.ofSeconds(1).plus(PauseBudget.DEFAULT_GRACE));
  }

  @Test
  void anOverrunHaltIsReleasedAndLaterHaltsAreRefused() {
    PauseBudget budget = PauseBudget.of(MS_50);
    Halt halt = watchdog.begin(budget);

    advance(Duration.ofMillis(70));
    timer.fireLast();
    advance(Duration.ofMillis(5)); // the capture thread notices later; the pause ended at the release

    assertThat(releases).hasValue(1);
    assertThat(halt.released()).isTrue();
    assertThat(watchdog.hasReleased()).isTrue();
    assertThat(halt.end()).isEqualTo(new HaltOutcome(Duration.ofMillis(70), true));
    assertThat(budget.spent()).isEqualTo(Duration.ofMillis(70));
    assertThatThrownBy(() -> watchdog.begin(budget)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already killed dlv");
  }

  @Test
  void aDeadlineFiringAfterTheHaltEndedDoesNothing() {
    Halt halt = watchdog.begin(PauseBudget.of(MS_50));
    halt.end();

    timer.fireLast();

    assertThat(releases).hasValue(0);
    assertThat(watchdog.hasReleased()).isFalse();
  }

  @Test
  void endingWaitsForAReleaseInProgressSinceOnlyItsEndLetsTheTargetRun() throws Exception {
    CountDownLatch dlvDying = new CountDownLatch(1);
    CountDownLatch dlvDead = new CountDownLatch(1);
    HaltWatchdog slowKill = new HaltWatchdog(() -> {
      dlvDying.countDown();
      await(dlvDead);
      advance(Duration.ofMillis(40));
    }, timer, now::get);
    Halt halt = slowKill.begin(PauseBudget.of(MS_50));
    advance(Duration.ofMillis(70));
    CompletableFuture<Void> firing = CompletableFuture.runAsync(timer::fireLast);
    assertThat(dlvDying.await(5, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<HaltOutcome> ending = CompletableFuture.supplyAsync(halt::end);
    Thread.sleep(50);
    assertThat(ending).isNotDone();
    dlvDead.countDown();

    assertThat(ending.get(5, TimeUnit.SECONDS)).isEqualTo(new HaltOutcome(Duration.ofMillis(110), true));
    firing.get(5, TimeUnit.SECONDS);
  }

  @Test
  void withRealThreadsTheReleaseEndsACallThatWouldNeverReturn() throws Exception {
    CountDownLatch callReturns = new CountDownLatch(1);
    try (HaltWatchdog real = new HaltWatchdog("test", callReturns::countDown)) {
      PauseBudget budget = PauseBudget.of(MS_50);
      long before = System.nanoTime();
      Halt halt = real.begin(budget);

      // Stands for an RPC that Delve answers only when killed: it is the release that ends it.
      assertThat(callReturns.await(5, TimeUnit.SECONDS)).isTrue();
      long releasedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
      HaltOutcome outcome = halt.end();

      assertThat(releasedAfterMs).isBetween(70L, 500L);
      assertThat(outcome.released()).isTrue();
      assertThat(outcome.paused()).isBetween(Duration.ofMillis(70), Duration.ofMillis(500));
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records what is scheduled; the test fires it. */
  private static final class FakeTimer implements DeadlineTimer {

    private final List<CompletableFuture<Void>> futures = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();

    @Override
    public synchronized Future<?> schedule(Runnable task, long delayNanos) {
      CompletableFuture<Void> future = new CompletableFuture<>();
      futures.add(future);
      tasks.add(task);
      delays.add(Duration.ofNanos(delayNanos));
      return future;
    }

    synchronized Future<?> last() {
      return futures.get(futures.size() - 1);
    }

    synchronized Duration lastDelay() {
      return delays.get(delays.size() - 1);
    }

    void fireLast() {
      Runnable task;
      synchronized (this) {
        if (last().isCancelled()) {
          return;
        }
        task = tasks.get(tasks.size() - 1);
      }
      task.run();
    }

    @Override
    public void close() {
    }
  }
}
