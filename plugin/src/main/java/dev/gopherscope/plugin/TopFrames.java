package dev.gopherscope.plugin;

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

/** The functions a profile spends the most in, by flat value (the innermost frame of each sample), as pprof's top. */
final class TopFrames {

  record Frame(String function, long value, double share) {
  }

  private TopFrames() {
  }

  static List<Frame> of(Path profileFile, int limit) throws IOException {
    PprofProfile profile;
    try (InputStream in = Files.newInputStream(profileFile)) {
      profile = new PprofDecoder().decode(in);
    }
    // The last sample type is the one pprof shows by default (cpu nanoseconds, inuse_space, ...).
    int valueIndex = profile.sampleTypes().size() - 1;
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
    long sum = total;
    return flat.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
        .limit(limit).map(e -> new Frame(e.getKey(), e.getValue(), sum == 0 ? 0 : 100.0 * e.getValue() / sum)).toList();
  }
}
