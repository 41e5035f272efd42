package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.contract.SidecarReport.HeapGrowth;
import dev.gopherscope.sidecar.flamegraph.FlameGraphHtml;
import dev.gopherscope.sidecar.flamegraph.Quantity;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.ProfileDifference;
import dev.gopherscope.sidecar.pprof.StackFrame;
import dev.gopherscope.sidecar.pprofhttp.PprofHttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Heap} capture with {@code count} > 1: {@code count} heap profiles {@code every} apart
 * ({@code heap-<k>.pb.gz}, on a fixed schedule, none after the session's deadline), then the
 * in-use growth per stack from the first to the last, as {@code go tool pprof -base} shows it:
 * {@code heap-growth.pb.gz} (a profile whose values are negative where a stack shrank), a
 * difference flame graph {@code heap-growth.html}, and the top growers in the status.
 *
 * <p>A heap profile is as of the last garbage collection: a stack grows here when what it
 * allocated survived the collections between the two snapshots.
 */
public final class HeapGrowthCapture implements Capture {

  static final int TOP_GROWERS = 5;
  static final int SUMMARY_FRAMES = 10;
  static final String INUSE_SPACE = "inuse_space";
  static final String INUSE_OBJECTS = "inuse_objects";

  private final CapturePlan plan;

  public HeapGrowthCapture(CapturePlan plan) {
    this.plan = plan;
  }

  @Override
  public CaptureOutcome run(CaptureContext context) {
    PprofHttpClient pprof = context.requirePprof();
    Instant start = context.clock().instant();
    PprofProfile first = null;
    PprofProfile last = null;
    int taken = 0;
    String stopped = "";
    for (int k = 1; k <= plan.count(); k++) {
      Instant due = start.plusMillis((k - 1) * plan.everyMs());
      if (due.isAfter(context.deadline().minus(TimedCapture.DEADLINE_RESERVE))) {
        stopped = "; stopped after " + taken + " of " + plan.count() + " snapshots at the session's deadline";
        break;
      }
      GoroutineSnapshots.sleepUntil(context, due);
      PprofProfile heap = context.redactor().profile(pprof.heap());
      context.artifacts().writeProfile("heap-" + k + ".pb.gz", heap);
      taken = k;
      first = first == null ? heap : first;
      last = heap;
      int space = typeIndex(heap, INUSE_SPACE);
      context.progress().accept(String.format(Locale.ROOT, "heap snapshot %d/%d: %s in use", k, plan.count(),
          new Quantity(heap.total(space), "bytes")));
    }
    if (taken < 2) {
      throw new CaptureException("took " + taken + " heap snapshot(s), too few to compare" + stopped);
    }
    PprofProfile growth = ProfileDifference.between(first, last);
    context.artifacts().writeProfile("heap-growth.pb.gz", growth);
    int space = typeIndex(growth, INUSE_SPACE);
    int objects = typeIndex(growth, INUSE_OBJECTS);
    context.artifacts().writeText("heap-growth.html", FlameGraphHtml.renderDifference(growth, space, "Heap growth",
        context.pod(), String.format(Locale.ROOT, "in-use heap from snapshot 1 to snapshot %d, %d ms apart "
            + "(go tool pprof -base heap-1.pb.gz heap-%d.pb.gz)", taken, (taken - 1) * plan.everyMs(), taken)));
    List<HeapGrowth> growers = growers(growth, space, objects);
    long before = first.total(typeIndex(first, INUSE_SPACE));
    long after = last.total(typeIndex(last, INUSE_SPACE));
    StringBuilder message = new StringBuilder(String.format(Locale.ROOT,
        "%d heap snapshots %d ms apart: in use %s -> %s (%s%s)", taken, plan.everyMs(), new Quantity(before, "bytes"),
        new Quantity(after, "bytes"), after >= before ? "+" : "-", new Quantity(Math.abs(after - before), "bytes")));
    if (!growers.isEmpty()) {
      HeapGrowth top = growers.get(0);
      message.append(String.format(Locale.ROOT, "; top grower %s +%s in %,d objects",
          top.frames().isEmpty() ? "an empty stack" : top.frames().get(0), new Quantity(top.bytes(), "bytes"),
          top.objects()));
    }
    return OutcomeBuilder.of(plan).heapGrowth(growers).message(message + stopped).build();
  }

  /** The stacks whose in-use bytes grew most, largest first. */
  private static List<HeapGrowth> growers(PprofProfile growth, int space, int objects) {
    ProfileFrames frames = new ProfileFrames(growth);
    List<HeapGrowth> growers = new ArrayList<>();
    for (int s = 0; s < growth.samples().size(); s++) {
      long bytes = growth.samples().value(s, space);
      if (bytes > 0) {
        List<String> functions = frames.stack(s, SUMMARY_FRAMES * 2).stream().map(StackFrame::function).toList();
        growers.add(new HeapGrowth(BlockedFrames.withoutRuntimeTop(functions).stream().limit(SUMMARY_FRAMES).toList(),
            bytes, growth.samples().value(s, objects)));
      }
    }
    growers.sort(Comparator.comparingLong(HeapGrowth::bytes).reversed());
    return growers.subList(0, Math.min(TOP_GROWERS, growers.size()));
  }

  private static int typeIndex(PprofProfile profile, String type) {
    for (int i = 0; i < profile.sampleTypes().size(); i++) {
      if (profile.string(profile.sampleTypes().get(i).type()).equals(type)) {
        return i;
      }
    }
    throw new CaptureException("the app's heap profile has no " + type + " sample type; is it a Go heap profile?");
  }
}
