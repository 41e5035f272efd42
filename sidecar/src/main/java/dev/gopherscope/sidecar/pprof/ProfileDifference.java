package dev.gopherscope.sidecar.pprof;

import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.Mapping;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One profile minus another of the same kind, per stack: what {@code go tool pprof -base FIRST LAST}
 * shows, as a profile of its own whose values are negative where a stack shrank. Both profiles
 * usually come from one process a while apart, but each was written with its own ids and string
 * table, so stacks are matched by what they say (address, functions, files and lines), not by id.
 * Sample labels are dropped: a Go heap profile labels each sample with its object size, which
 * would split one stack's growth over several samples.
 */
public final class ProfileDifference {

  private final List<String> strings = new ArrayList<>(List.of(""));
  private final Map<String, Integer> stringIndex = new HashMap<>(Map.of("", 0));
  private final Map<List<Object>, Mapping> mappings = new LinkedHashMap<>();
  private final Map<List<Object>, Function> functions = new LinkedHashMap<>();
  private final Map<List<Object>, Location> locations = new LinkedHashMap<>();
  private final Map<List<Long>, long[]> stacks = new LinkedHashMap<>();

  private ProfileDifference() {
  }

  /**
   * {@code last} minus {@code base}; stacks whose every value is the same in both are left out.
   *
   * @throws IllegalArgumentException if their sample types differ (not the same kind of profile)
   */
  public static PprofProfile between(PprofProfile base, PprofProfile last) {
    List<String> baseTypes = typeNames(base);
    if (!baseTypes.equals(typeNames(last))) {
      throw new IllegalArgumentException("profiles of different kinds cannot be subtracted: " + baseTypes + " and "
          + typeNames(last));
    }
    ProfileDifference difference = new ProfileDifference();
    difference.add(last, 1);
    difference.add(base, -1);
    return difference.build(last, base);
  }

  private static List<String> typeNames(PprofProfile p) {
    return p.sampleTypes().stream().map(t -> p.string(t.type()) + "/" + p.string(t.unit())).toList();
  }

  private void add(PprofProfile p, int sign) {
    Map<Long, Mapping> mappingById = new HashMap<>();
    p.mappings().forEach(m -> mappingById.put(m.id(), m));
    Map<Long, Function> functionById = new HashMap<>();
    p.functions().forEach(f -> functionById.put(f.id(), f));
    Map<Long, Long> locationIds = new HashMap<>();
    for (Location location : p.locations()) {
      locationIds.put(location.id(), location(p, location, mappingById, functionById).id());
    }
    Samples samples = p.samples();
    int types = p.sampleTypes().size();
    for (int s = 0; s < samples.size(); s++) {
      List<Long> stack = new ArrayList<>(samples.locationCount(s));
      for (int d = 0; d < samples.locationCount(s); d++) {
        Long id = locationIds.get(samples.locationId(s, d));
        if (id == null) {
          throw new IllegalArgumentException("sample " + s + " names location " + samples.locationId(s, d)
              + ", which the profile does not have");
        }
        stack.add(id);
      }
      long[] values = stacks.computeIfAbsent(stack, k -> new long[types]);
      for (int v = 0; v < types; v++) {
        values[v] += sign * samples.value(s, v);
      }
    }
  }

  private Location location(PprofProfile p, Location location, Map<Long, Mapping> mappingById,
      Map<Long, Function> functionById) {
    Mapping mapping = location.mappingId() == 0 ? null : mapping(p, mappingById.get(location.mappingId()));
    List<Line> lines = new ArrayList<>();
    for (Line line : location.lines()) {
      Function f = functionById.get(line.functionId());
      lines.add(new Line(f == null ? 0 : function(p, f).id(), line.line(), line.column()));
    }
    List<Object> key = List.of(mapping == null ? 0L : mapping.id(), location.address(), lines, location.isFolded());
    return locations.computeIfAbsent(key, k -> new Location(locations.size() + 1, mapping == null ? 0 : mapping.id(),
        location.address(), lines, location.isFolded()));
  }

  private Mapping mapping(PprofProfile p, Mapping m) {
    if (m == null) {
      return null;
    }
    List<Object> key = List.of(m.memoryStart(), m.memoryLimit(), m.fileOffset(), p.string(m.filename()));
    return mappings.computeIfAbsent(key, k -> new Mapping(mappings.size() + 1, m.memoryStart(), m.memoryLimit(),
        m.fileOffset(), intern(p.string(m.filename())), intern(p.string(m.buildId())), m.hasFunctions(),
        m.hasFilenames(), m.hasLineNumbers(), m.hasInlineFrames()));
  }

  private Function function(PprofProfile p, Function f) {
    List<Object> key = List.of(p.string(f.name()), p.string(f.systemName()), p.string(f.filename()), f.startLine());
    return functions.computeIfAbsent(key, k -> new Function(functions.size() + 1, intern(p.string(f.name())),
        intern(p.string(f.systemName())), intern(p.string(f.filename())), f.startLine()));
  }

  private int intern(String value) {
    return stringIndex.computeIfAbsent(value, v -> {
      strings.add(v);
      return strings.size() - 1;
    });
  }

  private PprofProfile build(PprofProfile last, PprofProfile base) {
    List<ValueType> types = last.sampleTypes().stream()
        .map(t -> new ValueType(intern(last.string(t.type())), intern(last.string(t.unit())))).toList();
    ValueType period = new ValueType(intern(last.string(last.periodType().type())),
        intern(last.string(last.periodType().unit())));
    int defaultType = last.defaultSampleType() == 0 ? 0 : intern(last.string(last.defaultSampleType()));
    List<Integer> comments = List.of(intern("the difference of two profiles taken "
        + (last.timeNanos() - base.timeNanos()) / 1_000_000 + " ms apart: the last minus the first, per stack "
        + "(as go tool pprof -base FIRST LAST)"));
    Samples.Builder samples = Samples.builder();
    stacks.forEach((stack, values) -> {
      if (Arrays.stream(values).anyMatch(v -> v != 0)) {
        samples.add(stack.stream().mapToLong(Long::longValue).toArray(), values, List.of());
      }
    });
    PprofProfile difference = new PprofProfile(types, samples.build(), List.copyOf(mappings.values()),
        List.copyOf(locations.values()), List.copyOf(functions.values()), StringTable.of(strings), 0, 0,
        last.timeNanos(), Math.max(0, last.timeNanos() - base.timeNanos()), period, last.period(), comments,
        defaultType, 0);
    return ProfileCompaction.compact(difference);
  }
}
