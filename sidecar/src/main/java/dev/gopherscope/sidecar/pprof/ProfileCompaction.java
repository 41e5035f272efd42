package dev.gopherscope.sidecar.pprof;

import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.Mapping;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops the locations, functions, mappings and strings that no sample reaches any more, and
 * renumbers the string table, keeping every survivor's relative order and id. A trace's slice of
 * a 100,000-goroutine profile would otherwise carry the whole process's string table (a
 * traceparent, trace id and span id per request) into an artifact meant to be about one request.
 */
final class ProfileCompaction {

  private ProfileCompaction() {
  }

  static PprofProfile compact(PprofProfile p) {
    Samples samples = p.samples();
    IdIndex locationIndex = IdIndex.of(p.locations(), Location::id, "location");
    boolean[] locationUsed = new boolean[p.locations().size()];
    for (int s = 0; s < samples.size(); s++) {
      for (int d = 0; d < samples.locationCount(s); d++) {
        locationUsed[locationIndex.positionOf(samples.locationId(s, d))] = true;
      }
    }
    List<Location> locations = new ArrayList<>();
    IdIndex functionIndex = IdIndex.of(p.functions(), Function::id, "function");
    IdIndex mappingIndex = IdIndex.of(p.mappings(), Mapping::id, "mapping");
    boolean[] functionUsed = new boolean[p.functions().size()];
    boolean[] mappingUsed = new boolean[p.mappings().size()];
    for (int i = 0; i < locationUsed.length; i++) {
      if (locationUsed[i]) {
        Location location = p.locations().get(i);
        locations.add(location);
        for (Line line : location.lines()) {
          functionUsed[functionIndex.positionOf(line.functionId())] = true;
        }
        int mapping = mappingIndex.positionOf(location.mappingId());
        if (mapping != IdIndex.ABSENT) {
          mappingUsed[mapping] = true;
        }
      }
    }

    boolean[] stringUsed = new boolean[p.strings().size()];
    stringUsed[0] = true;
    for (ValueType type : p.sampleTypes()) {
      markValueType(stringUsed, type);
    }
    markValueType(stringUsed, p.periodType());
    stringUsed[p.dropFrames()] = true;
    stringUsed[p.keepFrames()] = true;
    stringUsed[p.defaultSampleType()] = true;
    stringUsed[p.docUrl()] = true;
    for (int comment : p.comments()) {
      stringUsed[comment] = true;
    }
    for (int s = 0; s < samples.size(); s++) {
      for (int j = 0; j < samples.labelCount(s); j++) {
        stringUsed[samples.labelKey(s, j)] = true;
        stringUsed[samples.labelStr(s, j)] = true;
        stringUsed[samples.labelNumUnit(s, j)] = true;
      }
    }
    List<Function> keptFunctions = new ArrayList<>();
    for (int i = 0; i < functionUsed.length; i++) {
      if (functionUsed[i]) {
        Function f = p.functions().get(i);
        keptFunctions.add(f);
        stringUsed[f.name()] = true;
        stringUsed[f.systemName()] = true;
        stringUsed[f.filename()] = true;
      }
    }
    List<Mapping> keptMappings = new ArrayList<>();
    for (int i = 0; i < mappingUsed.length; i++) {
      if (mappingUsed[i]) {
        Mapping m = p.mappings().get(i);
        keptMappings.add(m);
        stringUsed[m.filename()] = true;
        stringUsed[m.buildId()] = true;
      }
    }

    int[] newIndex = new int[stringUsed.length];
    int next = 0;
    for (int i = 0; i < stringUsed.length; i++) {
      newIndex[i] = stringUsed[i] ? next++ : -1;
    }
    return new PprofProfile(
        p.sampleTypes().stream().map(t -> remap(t, newIndex)).toList(),
        samples.remapStrings(newIndex),
        keptMappings.stream().map(m -> new Mapping(m.id(), m.memoryStart(), m.memoryLimit(),
            m.fileOffset(), newIndex[m.filename()], newIndex[m.buildId()], m.hasFunctions(),
            m.hasFilenames(), m.hasLineNumbers(), m.hasInlineFrames())).toList(),
        locations,
        keptFunctions.stream().map(f -> new Function(f.id(), newIndex[f.name()],
            newIndex[f.systemName()], newIndex[f.filename()], f.startLine())).toList(),
        p.strings().retain(stringUsed),
        newIndex[p.dropFrames()],
        newIndex[p.keepFrames()],
        p.timeNanos(),
        p.durationNanos(),
        remap(p.periodType(), newIndex),
        p.period(),
        p.comments().stream().map(c -> newIndex[c]).toList(),
        newIndex[p.defaultSampleType()],
        newIndex[p.docUrl()]);
  }

  private static void markValueType(boolean[] used, ValueType type) {
    used[type.type()] = true;
    used[type.unit()] = true;
  }

  private static ValueType remap(ValueType type, int[] newIndex) {
    return new ValueType(newIndex[type.type()], newIndex[type.unit()]);
  }
}
