package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.capture.delve.GoroutineCaptureResult.Outcome;
import dev.gopherscope.sidecar.delve.DelveClient;
import dev.gopherscope.sidecar.delve.DelveException;
import dev.gopherscope.sidecar.delve.DelveTypes.Goroutine;
import dev.gopherscope.sidecar.delve.DelveTypes.GoroutineFilter;
import dev.gopherscope.sidecar.delve.DelveTypes.GoroutinePage;
import dev.gopherscope.sidecar.delve.DelveTypes.Stackframe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lists a halted target's goroutines through Delve, keeps those matching a query with their
 * stacks, and resumes the target, all inside a pause budget.
 *
 * <p>Delve examines the goroutines of a page one by one and only then applies the label filters,
 * so what a page costs depends on how many it examines, not how many match, and a filtered page
 * may come back empty with more to go. Pages are therefore sized to the time left (see
 * {@link PageSizer}), and paging continues until Delve says there are no more or the next page
 * would not fit. Stacks of matches are read as they are found, while time allows, so a partial
 * scan still has them. The target is resumed with {@code continue} without waiting for its
 * answer (which only comes at the next stop); the resume is confirmed by the next request's
 * answer. If a single call overruns, the watchdog kills dlv; the capture then returns what it had.
 */
public final class DelveGoroutineCapture {

  /** Kept back from the budget for the resume, which must fit too. */
  private static final Duration FINISH_RESERVE = Duration.ofMillis(5);
  private static final Duration FIRST_STACK_GUESS = Duration.ofMillis(2);

  /**
   * @param initialPage goroutines in the first page, before any cost is known
   * @param maxPage the most goroutines per page (bounds dlv's memory per call)
   * @param maxGoroutines matched goroutines kept; more are counted but not kept
   * @param maxStacks stacks read at most
   * @param stackDepth frames per stack at most
   */
  public record Options(int initialPage, int maxPage, int maxGoroutines, int maxStacks, int stackDepth) {

    public Options {
      if (initialPage < PageSizer.MIN_PAGE || maxPage < initialPage || maxGoroutines < 0 || maxStacks < 0
          || stackDepth < 1) {
        throw new IllegalArgumentException("invalid goroutine capture options: " + this);
      }
    }

    /**
     * At most 3,000 goroutines a page: dlv 1.27 sends about 850 bytes a goroutine, so a page is
     * about 2.6 MB, well under the {@link DelveClient} answer limit of 4 MiB (a larger page would be
     * refused, and a 10,000-goroutine one, 8.5 MB, cannot even be parsed in the sidecar's 48 MiB
     * heap), with room for goroutines with longer file paths or more labels than the measured ones.
     * Smaller pages only cost a round trip (about 1 ms) each.
     */
    public static Options defaults() {
      return new Options(64, 3_000, 1_000, 100, 64);
    }
  }

  private final Options options;

  public DelveGoroutineCapture(Options options) {
    this.options = options;
  }

  public GoroutineCaptureResult capture(DelveAttachment delve, GoroutineQuery query, PauseBudget budget) {
    if (!delve.isAlive()) {
      return new GoroutineCaptureResult(Outcome.DLV_GONE, 0, -1, 0, List.of(), 0, false, false,
          "dlv is no longer attached (the watchdog killed it or it exited); attach again to capture");
    }
    Scan scan = new Scan(delve, query);
    Halt halt = delve.watchdog().begin(budget);
    Outcome outcome = Outcome.DELVE_FAILED;
    String failure = "";
    HaltOutcome ended;
    try {
      delve.client().halt();
      scan.total = delve.goroutineListLength();
      outcome = scan.run(halt);
    } catch (DelveException e) {
      if (!delve.watchdog().hasReleased()) {
        // What went wrong first; once the watchdog is killing dlv, a failure is only its echo.
        failure = e.getMessage();
      }
    } finally {
      if (!halt.released()) {
        delve.resumeOrKill();
      }
      ended = halt.end();
    }
    if (ended.released()) {
      outcome = Outcome.WATCHDOG_KILLED_DLV;
    }
    return new GoroutineCaptureResult(outcome, scan.scanned, scan.total, scan.matched, scan.kept,
        ended.pausedMs(), ended.released(), outcome == Outcome.COMPLETE,
        message(outcome, scan, budget, ended, failure));
  }

  /** The state of one scan, filled in as pages come. */
  private final class Scan {

    private final DelveAttachment delve;
    private final DelveClient client;
    private final GoroutineQuery query;
    private final List<GoroutineFilter> filters;
    private final List<CapturedGoroutine> kept = new ArrayList<>();
    private long scanned;
    private long total = -1;
    private long matched;
    private int stacksRead;
    private int stacksSkipped;
    private Duration stackCost = FIRST_STACK_GUESS;

    Scan(DelveAttachment delve, GoroutineQuery query) {
      this.delve = delve;
      this.client = delve.client();
      this.query = query;
      this.filters = query.serverFilters();
    }

    Outcome run(Halt halt) {
      PageSizer sizer = new PageSizer(options.initialPage(), options.maxPage());
      int start = 0;
      while (true) {
        int count = sizer.next(halt.remaining().minus(FINISH_RESERVE));
        if (count == 0) {
          return Outcome.PAUSE_BUDGET;
        }
        long before = System.nanoTime();
        GoroutinePage page = client.listGoroutines(start, count, filters);
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        if (page.hasMore() && page.nextStart() <= start) {
          throw new DelveException("dlv's goroutine paging did not advance past " + start);
        }
        long examined = page.hasMore() ? page.nextStart() - start
            : Math.max(page.goroutinesOrEmpty().size(), total - start);
        scanned += examined;
        sizer.observe(examined, took);
        for (Goroutine g : page.goroutinesOrEmpty()) {
          if (query.matches(g.labelsOrEmpty())) {
            keep(g, halt);
          }
        }
        if (!page.hasMore()) {
          return Outcome.COMPLETE;
        }
        start = page.nextStart();
      }
    }

    private void keep(Goroutine g, Halt halt) {
      matched++;
      if (kept.size() >= options.maxGoroutines()) {
        return;
      }
      List<Stackframe> stack = List.of();
      if (stacksRead < options.maxStacks()
          && halt.remaining().compareTo(stackCost.multipliedBy(2).plus(FINISH_RESERVE)) > 0) {
        long before = System.nanoTime();
        stack = client.stacktrace(g.id(), options.stackDepth());
        stackCost = stackCost.plus(Duration.ofNanos(System.nanoTime() - before)).dividedBy(2);
        stacksRead++;
      } else {
        stacksSkipped++;
      }
      kept.add(CapturedGoroutine.of(g, stack, delve::waitReasonName, System.nanoTime()));
    }
  }

  private static String message(Outcome outcome, Scan scan, PauseBudget budget, HaltOutcome ended, String failure) {
    String of = scan.total >= 0 ? " of ~" + number(scan.total) : "";
    String found = "; " + number(scan.matched) + " matched"
        + (scan.matched > scan.kept.size() ? " (" + scan.kept.size() + " kept)" : "")
        + (scan.stacksSkipped > 0 ? ", " + scan.stacksSkipped + " without stacks (budget or stack limit)" : "");
    String paused = String.format(Locale.ROOT, "%.1f ms", ended.pausedMs());
    return switch (outcome) {
      case COMPLETE -> "scanned all " + number(scan.scanned) + " goroutines, pausing the target " + paused + found;
      case PAUSE_BUDGET -> "stopped at the " + budget.limit().toMillis() + " ms pause budget after scanning "
          + number(scan.scanned) + of + " goroutines (paused " + paused + ")" + found;
      case WATCHDOG_KILLED_DLV -> "the halt overran the " + budget.limit().toMillis() + " ms pause budget, so the "
          + "watchdog killed dlv after " + paused + " and the target runs on; scanned " + number(scan.scanned) + of
          + " goroutines before that" + found + (failure.isEmpty() ? "" : "; before the watchdog acted, dlv failed: "
          + failure) + "; attach again to capture more";
      case DELVE_FAILED -> "dlv failed after scanning " + number(scan.scanned) + of + " goroutines: " + failure
          + " (the target was resumed after " + paused + ")" + found;
      case DLV_GONE -> throw new IllegalStateException("handled before the halt");
    };
  }

  private static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
