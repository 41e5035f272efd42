package dev.gopherscope.sidecar.capture;

import dev.gopherscope.contract.SidecarPlan.CaptureKindName;
import dev.gopherscope.contract.SidecarPlan.CapturePlan;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.sidecar.flamegraph.FlameGraphHtml;
import dev.gopherscope.sidecar.flamegraph.Quantity;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.SampleFilter;
import dev.gopherscope.sidecar.pprofhttp.PprofHttpClient;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code CPUProfile}, {@code Heap}, {@code Allocs}, {@code Block} and {@code Mutex} captures:
 * the profile from the app's pprof endpoint as {@code <name>.pb.gz} (for {@code go tool pprof},
 * Pyroscope, speedscope) and a flame graph of its default sample type as {@code <name>.html}.
 *
 * <p>The session's label filter applies to the CPU profile, whose samples carry the pprof labels
 * of the goroutine that was running, and the result is still a valid profile. Go records no
 * labels in heap, allocs, block and mutex profiles, so a filter would drop every sample: those
 * profiles cover the whole process, and the outcome says so when the session has a filter.
 *
 * <p>With a {@code duration}, the block and mutex profiles are what the window added (net/http/pprof's
 * delta profile); with a rate to switch on, the rate is set in place for that window
 * ({@link SwitchedOnProfile}).
 *
 * <p>A CPU profile or a window never runs past the session's deadline: it is shortened to fit,
 * and refused when less than a second is left.
 */
public final class ProfileCapture implements Capture {

  private static final Set<CaptureKindName> KINDS = EnumSet.of(CaptureKindName.CPUProfile, CaptureKindName.Heap,
      CaptureKindName.Allocs, CaptureKindName.Block, CaptureKindName.Mutex);

  private final CapturePlan plan;

  public ProfileCapture(CapturePlan plan) {
    if (!KINDS.contains(plan.kind())) {
      throw new IllegalArgumentException(plan.kind() + " is not a pprof profile kind");
    }
    this.plan = plan;
  }

  /** The artifacts' base name: {@code cpu} for CPUProfile, else the kind in lower case. */
  public static String baseName(CaptureKindName kind) {
    return kind == CaptureKindName.CPUProfile ? "cpu" : kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public CaptureOutcome run(CaptureContext context) {
    PprofHttpClient pprof = context.requirePprof();
    String base = baseName(plan.kind());
    String note = "";
    OutcomeBuilder outcome = OutcomeBuilder.of(plan);
    PprofProfile raw;
    switch (plan.kind()) {
      case CPUProfile -> {
        Duration duration = TimedCapture.fit(plan, context, "a CPU profile");
        note = TimedCapture.shortenedNote(plan, duration);
        context.progress().accept("profiling CPU for " + PprofHttpClient.cpuSeconds(duration) + " s");
        raw = pprof.cpu(duration);
      }
      case Heap -> raw = pprof.heap();
      case Allocs -> raw = pprof.allocs();
      case Block, Mutex -> {
        if (plan.durationMs() > 0) {
          Duration window = TimedCapture.fit(plan, context, "a " + base + " profile");
          if (plan.profileRate() > 0) {
            SwitchedOnProfile.Taken taken = SwitchedOnProfile.take(plan, context, window);
            raw = taken.profile();
            note = taken.note();
            outcome.paused(taken.pausedMs(), taken.budgetExceeded()).rateSwitch(taken.rateSwitch());
          } else {
            context.progress().accept("profiling " + base + " contention for " + PprofHttpClient.cpuSeconds(window)
                + " s");
            raw = pprof.delta(base, window);
          }
          note += "what the last " + PprofHttpClient.cpuSeconds(window) + " s added; ";
        } else {
          raw = plan.kind() == CaptureKindName.Block ? pprof.block() : pprof.mutex();
        }
      }
      default -> throw new IllegalStateException(plan.kind().name());
    }
    boolean labelled = plan.kind() == CaptureKindName.CPUProfile;
    boolean filtering = !context.filter().matchesEverything();
    PprofProfile kept = labelled ? new SampleFilter(context.filter()).apply(raw) : raw;
    PprofProfile profile = context.redactor().profile(kept);
    context.artifacts().writeProfile(base + ".pb.gz", profile);

    int type = FlameGraphHtml.defaultSampleType(profile);
    String filterNote = !filtering ? ""
        : labelled ? "filter: " + SessionFilter.describe(context.filter())
        : "Go records no pprof labels in " + base + " profiles: the session's filter does not apply, this is the "
            + "whole process";
    context.artifacts().writeText(base + ".html",
        FlameGraphHtml.render(profile, type, plan.kind().name(), context.pod(), filterNote));

    String typeName = profile.string(profile.sampleTypes().get(type).type());
    String unit = profile.string(profile.sampleTypes().get(type).unit());
    StringBuilder message = new StringBuilder(note).append(String.format(Locale.ROOT, "%s %s in %,d samples",
        typeName, new Quantity(profile.total(type), unit), profile.samples().size()));
    if (labelled && filtering) {
      message.append(" matching the filter, of ").append(new Quantity(raw.total(type), unit)).append(" in all");
    } else if (filtering) {
      message.append("; ").append(filterNote);
    }
    return outcome.message(message.toString()).build();
  }
}
