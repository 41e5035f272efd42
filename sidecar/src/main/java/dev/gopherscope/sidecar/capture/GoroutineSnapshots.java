package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarPlan.Source;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.pprof.LeakSuspects;
import dev.gopherscope.sidecar.pprof.StackGroup;
import dev.gopherscope.sidecar.pprof.StackGroupDiff;
import dev.gopherscope.sidecar.pprof.StackGroupOptions;
import dev.gopherscope.sidecar.pprof.StackGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Goroutines} capture: {@code count} snapshots of the matching goroutines,
 * {@code every} apart (on a fixed schedule, so the diffs compare like intervals), each grouped by
 * stack into {@code goroutines-<k>.json} (and, from pprof, the filtered {@code goroutines-<k>.pb.gz}),
 * then {@code goroutines-diff.json} with what grew between snapshots and the groups that grew at
 * every step. Snapshots that would start after the session's deadline are not taken.
 *
 * <p>From Delve, the session's pause budget is shared by the snapshots: each gets an equal share
 * of what is left, so an early snapshot cannot starve the later ones.
 */
public final class GoroutineSnapshots implements Capture {

  /** Generous, so that diffs and leak suspects see the same groups in every snapshot. */
  static final StackGroupOptions OPTIONS = new StackGroupOptions(false, 32, 1000, 5);
  static final int TOP_GROUPS = 10;
  static final int SUMMARY_FRAMES = 10;
  static final int LEAK_SUSPECTS = 5;

  private final CapturePlan plan;

  public GoroutineSnapshots(CapturePlan plan) {
    this.plan = plan;
  }

  @Override
  public CaptureOutcome run(CaptureContext context) {
    GoroutineSource source = plan.source() == Source.Delve
        ? new DelveGoroutineSource(OPTIONS) : new PprofGoroutineSource(OPTIONS);
    int count = Math.max(1, plan.count());
    Instant start = context.clock().instant();
    List<StackGroups> snapshots = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    GoroutineSnapshot last = null;
    double pausedMs = 0;
    boolean exceeded = false;
    for (int k = 1; k <= count; k++) {
      Instant due = start.plusMillis((k - 1) * plan.everyMs());
      if (due.isAfter(context.deadline())) {
        notes.add("stopped after " + (k - 1) + " of " + count + " snapshots at the session's deadline");
        break;
      }
      sleepUntil(context, due);
      long budgetLeft = Math.max(1, context.plan().pauseBudgetMs() - Math.round(pausedMs));
      GoroutineSnapshot snapshot = source.take(context, Duration.ofMillis(Math.max(1, budgetLeft / (count - k + 1))));
      pausedMs += snapshot.pausedMs();
      exceeded |= snapshot.budgetExceeded();
      if (!snapshot.note().isEmpty()) {
        notes.add("snapshot " + k + ": " + snapshot.note());
      }
      write(context, k, count, snapshot);
      snapshots.add(snapshot.groups());
      last = snapshot;
      context.progress().accept(String.format(Locale.ROOT, "goroutines snapshot %d/%d: %,d goroutines, %,d match, "
          + "%d stack groups", k, count, snapshot.goroutines(), snapshot.matched(), snapshot.groups().groups().size()));
    }
    if (last == null) {
      throw new CaptureException(String.join("; ", notes));
    }
    LeakSuspects leaks = LeakSuspects.find(snapshots, LEAK_SUSPECTS);
    if (count > 1 && snapshots.size() > 1) {
      writeDiff(context, snapshots, leaks);
    }
    return OutcomeBuilder.of(plan)
        .paused(pausedMs, exceeded)
        .goroutines(last.goroutines(), last.matched())
        .topGroups(last.groups().groups().stream().limit(TOP_GROUPS).map(GoroutineSnapshots::summary).toList())
        .leakSuspects(leaks.suspects().stream().map(s -> new SidecarReport.LeakSuspect(
            BlockedFrames.withoutRuntimeTop(s.stack()).stream().limit(SUMMARY_FRAMES).toList(), s.counts())).toList())
        .message(message(snapshots.size(), count, last, leaks, notes))
        .build();
  }

  private void write(CaptureContext context, int k, int count, GoroutineSnapshot snapshot) {
    StackGroups groups = snapshot.groups();
    boolean delve = plan.source() == Source.Delve;
    context.artifacts().writeJson("goroutines-" + k + ".json", new GoroutinesDocument(context.pod(),
        plan.source().name(), k, count, context.clock().instant(), SessionFilter.describe(context.filter()),
        snapshot.goroutines(), snapshot.matched(), groups.groups().stream().map(GoroutinesDocument.Group::of).toList(),
        groups.otherGroups(), groups.otherCount(), delve ? snapshot.pausedMs() : null,
        snapshot.note().isEmpty() ? null : snapshot.note()));
    if (snapshot.profile() != null) {
      context.artifacts().writeProfile("goroutines-" + k + ".pb.gz", snapshot.profile());
    }
  }

  private void writeDiff(CaptureContext context, List<StackGroups> snapshots, LeakSuspects leaks) {
    List<GoroutineDiffDocument.Step> steps = new ArrayList<>();
    for (int i = 1; i < snapshots.size(); i++) {
      steps.add(GoroutineDiffDocument.Step.of(i, i + 1, StackGroupDiff.between(snapshots.get(i - 1), snapshots.get(i))));
    }
    context.artifacts().writeJson("goroutines-diff.json", new GoroutineDiffDocument(context.pod(), snapshots.size(),
        plan.everyMs(), steps, GoroutineDiffDocument.Leak.all(leaks)));
  }

  /** A group as the status shows it: count, where the goroutines are (runtime frames dropped), one label set. */
  static SidecarReport.StackGroup summary(StackGroup group) {
    List<String> frames = BlockedFrames.withoutRuntimeTop(GoroutinesDocument.functions(group));
    return new SidecarReport.StackGroup(group.count(), frames.stream().limit(SUMMARY_FRAMES).toList(),
        group.labelSets().isEmpty() ? Map.of() : group.labelSets().get(0));
  }

  private String message(int taken, int planned, GoroutineSnapshot last, LeakSuspects leaks, List<String> notes) {
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d of %d snapshot(s)%s: %,d goroutines, %,d match",
        taken, planned, planned > 1 ? " " + plan.everyMs() + " ms apart" : "", last.goroutines(), last.matched()));
    if (!last.groups().groups().isEmpty()) {
      StackGroup top = last.groups().groups().get(0);
      List<String> where = BlockedFrames.withoutRuntimeTop(GoroutinesDocument.functions(top));
      text.append(String.format(Locale.ROOT, "; largest group %,d in %s", top.count(),
          where.isEmpty() ? "an empty stack" : where.get(0)));
    }
    if (!leaks.suspects().isEmpty()) {
      text.append("; ").append(leaks.suspects().size()).append(" leak suspect(s)");
    }
    notes.forEach(n -> text.append("; ").append(n));
    return text.toString();
  }

  static void sleepUntil(CaptureContext context, Instant due) {
    long millis = Duration.between(context.clock().instant(), due).toMillis();
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CaptureException("interrupted while waiting for the next snapshot", e);
    }
  }
}
