package dev.gopherscope.plugin;

import dev.gopherscope.sidecar.flamegraph.FlameGraphHtml;
import dev.gopherscope.sidecar.flamegraph.Quantity;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile as pprof's {@code top} sees it: each function's flat value (the innermost frame of
 * each sample) of the profile's default sample type (cpu nanoseconds, inuse_space for a heap
 * profile, alloc_space for allocs, delay for block and mutex), and the total of that type.
 */
record FlatProfile(String sampleType, String unit, Map<String, Long> byFunction, long total) {

  record Frame(String function, long value, double share) {
  }

  FlatProfile {
    byFunction = Map.copyOf(byFunction);
  }

  static FlatProfile read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(new PprofDecoder().decode(in));
    }
  }

  static FlatProfile of(PprofProfile profile) {
    if (profile.sampleTypes().isEmpty()) {
      throw new IllegalArgumentException("the profile has no sample type");
    }
    int valueIndex = FlameGraphHtml.defaultSampleType(profile);
    PprofProfile.ValueType type = profile.sampleTypes().get(valueIndex);
    Map<Long, String> functionNames = new HashMap<>();
    profile.functions().forEach(f -> functionNames.put(f.id(), profile.string(f.name())));
    Map<Long, String> locationNames = new HashMap<>();
    for (PprofProfile.Location location : profile.locations()) {
      locationNames.put(location.id(), location.lines().isEmpty() ? "0x" + Long.toHexString(location.address())
          : functionNames.getOrDefault(location.lines().get(0).functionId(), "?"));
    }
    Samples samples = profile.samples();
    Map<String, Long> flat = new HashMap<>();
    long total = 0;
    for (int s = 0; s < samples.size(); s++) {
      long value = samples.value(s, valueIndex);
      total += value;
      if (samples.locationCount(s) > 0) {
        flat.merge(locationNames.getOrDefault(samples.locationId(s, 0), "?"), value, Long::sum);
      }
    }
    return new FlatProfile(profile.string(type.type()), profile.string(type.unit()), flat, total);
  }

  /** Pods' profiles of one kind, function by function. */
  static FlatProfile sum(List<FlatProfile> profiles) {
    FlatProfile first = profiles.get(0);
    Map<String, Long> flat = new HashMap<>();
    long total = 0;
    for (FlatProfile p : profiles) {
      if (!p.sampleType.equals(first.sampleType)) {
        throw new IllegalArgumentException("profiles of " + first.sampleType + " and " + p.sampleType
            + " cannot be added");
      }
      p.byFunction.forEach((f, v) -> flat.merge(f, v, Long::sum));
      total += p.total;
    }
    return new FlatProfile(first.sampleType, first.unit, flat, total);
  }

  /** The functions with the largest flat value, largest first (ties by name). */
  List<Frame> top(int limit) {
    return byFunction.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
        .limit(limit).map(e -> new Frame(e.getKey(), e.getValue(), total == 0 ? 0 : 100.0 * e.getValue() / total))
        .toList();
  }

  /** A value of this profile's unit as a person reads it (as the flame graph page writes it): 1.50 s, 12.0 MiB. */
  String format(long value) {
    return new Quantity(value, unit).toString();
  }
}
