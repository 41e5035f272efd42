package dev.gopherscope.sidecar.flamegraph;

import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import dev.gopherscope.sidecar.pprof.Samples;
import dev.gopherscope.sidecar.pprof.StringTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A CPU-style profile built stack by stack, with any function names a test wants (hostile ones too). */
final class SyntheticProfile {

  private final List<String> strings = new ArrayList<>(List.of("", "cpu", "nanoseconds"));
  private final Map<String, Long> functionIds = new HashMap<>();
  private final List<Function> functions = new ArrayList<>();
  private final List<Location> locations = new ArrayList<>();
  private final Samples.Builder samples = Samples.builder();

  /** Adds a sample of {@code value} whose stack is {@code frames}, outermost caller first. */
  SyntheticProfile sample(long value, String... frames) {
    long[] ids = new long[frames.length];
    for (int i = 0; i < frames.length; i++) {
      long functionId = functionIds.computeIfAbsent(frames[i], name -> {
        strings.add(name);
        long id = functions.size() + 1;
        functions.add(new Function(id, strings.size() - 1, strings.size() - 1, 0, 0));
        return id;
      });
      long locationId = locations.size() + 1;
      locations.add(new Location(locationId, 0, 0x1000 + locationId, List.of(new Line(functionId, 1, 0)), false));
      ids[frames.length - 1 - i] = locationId; // the leaf comes first in a sample
    }
    samples.add(ids, new long[] {value}, List.of());
    return this;
  }

  PprofProfile build() {
    return new PprofProfile(List.of(new ValueType(1, 2)), samples.build(), List.of(), locations, functions,
        StringTable.of(strings), 0, 0, 0, 0, new ValueType(1, 2), 10_000_000, List.of(), 0, 0);
  }
}
