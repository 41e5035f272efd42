package dev.gopherscope.sidecar.pprof;

import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Label;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.Mapping;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds profiles for tests by name: strings are interned, each function gets one location in
 * one mapping, and a goroutine is added by its stack (top frame first) and labels.
 */
final class ProfileBuilder {

  private final List<String> strings = new ArrayList<>(List.of(""));
  private final Map<String, Integer> stringIndex = new HashMap<>(Map.of("", 0));
  private final List<ValueType> sampleTypes = new ArrayList<>();
  private final Samples.Builder samples = Samples.builder();
  private final List<Function> functions = new ArrayList<>();
  private final List<Location> locations = new ArrayList<>();
  private final Map<String, Long> locationByFrame = new HashMap<>();
  private final List<Mapping> mappings = new ArrayList<>();
  private ValueType periodType = ValueType.NONE;
  private long period;
  private long timeNanos;

  /** A goroutine profile, as Go's runtime writes one. */
  static ProfileBuilder goroutines() {
    ProfileBuilder b = new ProfileBuilder().sampleType("goroutine", "count");
    b.periodType = new ValueType(b.str("goroutine"), b.str("count"));
    b.period = 1;
    b.timeNanos = 1_700_000_000_000_000_000L;
    return b;
  }

  ProfileBuilder sampleType(String type, String unit) {
    sampleTypes.add(new ValueType(str(type), str(unit)));
    return this;
  }

  int str(String s) {
    return stringIndex.computeIfAbsent(s, k -> {
      strings.add(k);
      return strings.size() - 1;
    });
  }

  /** Adds a sample of {@code count} goroutines; a frame is {@code function} or {@code function@file:line}. */
  ProfileBuilder goroutine(long count, Map<String, String> labels, String... stackTopFirst) {
    return sample(new long[] {count}, labels, stackTopFirst);
  }

  ProfileBuilder sample(long[] values, Map<String, String> labels, String... stackTopFirst) {
    long[] ids = new long[stackTopFirst.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = location(stackTopFirst[i]);
    }
    List<Label> wire = new ArrayList<>();
    labels.forEach((k, v) -> wire.add(Label.string(str(k), str(v))));
    samples.add(ids, values, wire);
    return this;
  }

  /** A sample with exactly these labels, e.g. numeric ones. */
  ProfileBuilder sampleWithLabels(long[] values, List<Label> labels, String... stackTopFirst) {
    long[] ids = new long[stackTopFirst.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = location(stackTopFirst[i]);
    }
    samples.add(ids, values, labels);
    return this;
  }

  private long location(String frame) {
    return locationByFrame.computeIfAbsent(frame, f -> {
      if (mappings.isEmpty()) {
        mappings.add(new Mapping(1, 0x400000, 0x800000, 0, str("/app/server"), str("buildid"),
            true, true, true, false));
      }
      String function = f.contains("@") ? f.substring(0, f.indexOf('@')) : f;
      String file = f.contains("@") ? f.substring(f.indexOf('@') + 1, f.lastIndexOf(':')) : "/src/" + function + ".go";
      long line = f.contains("@") ? Long.parseLong(f.substring(f.lastIndexOf(':') + 1)) : 10;
      long functionId = functions.stream().filter(fn -> strings.get(fn.name()).equals(function)
          && strings.get(fn.filename()).equals(file)).mapToLong(Function::id).findFirst().orElseGet(() -> {
            long id = functions.size() + 1;
            functions.add(new Function(id, str(function), str(function), str(file), 1));
            return id;
          });
      long id = locations.size() + 1;
      locations.add(new Location(id, 1, 0x400000 + 16 * id, List.of(new Line(functionId, line, 0)), false));
      return id;
    });
  }

  PprofProfile build() {
    return new PprofProfile(sampleTypes, samples.build(), mappings, locations, functions,
        StringTable.of(strings), 0, 0, timeNanos, 0, periodType, period, List.of(), 0, 0);
  }
}
