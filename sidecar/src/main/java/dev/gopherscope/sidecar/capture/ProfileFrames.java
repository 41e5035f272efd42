package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.Samples;
import dev.gopherscope.sidecar.pprof.StackFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one sample of a profile as a person would: its stack as frames, innermost first (a
 * location with inlined calls gives one frame per line, as pprof shows them), and its string
 * labels. Each location is resolved once per profile.
 */
final class ProfileFrames {

  private final PprofProfile profile;
  private final Map<Long, Location> locations = new HashMap<>();
  private final Map<Long, Function> functions = new HashMap<>();
  private final Map<Long, List<StackFrame>> framesByLocation = new HashMap<>();

  ProfileFrames(PprofProfile profile) {
    this.profile = profile;
    profile.locations().forEach(l -> locations.put(l.id(), l));
    profile.functions().forEach(f -> functions.put(f.id(), f));
  }

  /** Sample {@code s}'s stack, innermost frame first, at most {@code maxFrames} frames. */
  List<StackFrame> stack(int s, int maxFrames) {
    Samples samples = profile.samples();
    List<StackFrame> stack = new ArrayList<>();
    for (int d = 0; d < samples.locationCount(s) && stack.size() < maxFrames; d++) {
      for (StackFrame frame : framesOf(samples.locationId(s, d))) {
        if (stack.size() < maxFrames) {
          stack.add(frame);
        }
      }
    }
    return stack;
  }

  /** Sample {@code s}'s string labels, sorted by key (numeric labels are left out). */
  Map<String, String> labels(int s) {
    Samples samples = profile.samples();
    Map<String, String> labels = new TreeMap<>();
    for (int j = 0; j < samples.labelCount(s); j++) {
      if (samples.labelStr(s, j) != 0) {
        labels.merge(profile.string(samples.labelKey(s, j)), profile.string(samples.labelStr(s, j)),
            (a, b) -> a + "," + b);
      }
    }
    return labels;
  }

  private List<StackFrame> framesOf(long locationId) {
    return framesByLocation.computeIfAbsent(locationId, id -> {
      Location location = locations.get(id);
      if (location == null || location.lines().isEmpty()) {
        return List.of(new StackFrame(location == null ? "?" : "0x" + Long.toHexString(location.address()), "", 0));
      }
      List<StackFrame> frames = new ArrayList<>(location.lines().size());
      for (Line line : location.lines()) {
        Function f = functions.get(line.functionId());
        frames.add(f == null ? new StackFrame("?", "", line.line())
            : new StackFrame(profile.string(f.name()), profile.string(f.filename()), line.line()));
      }
      return frames;
    });
  }
}
