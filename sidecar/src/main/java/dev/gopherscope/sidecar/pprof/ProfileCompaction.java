package dev.gopherscope.sidecar.pprof;

import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.Mapping;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps some of a profile's samples and drops the locations, functions, mappings and strings that
 * no kept sample reaches, renumbering the string table and keeping every survivor's relative order
 * and id. A trace's slice of
 * a 100,000-goroutine profile would otherwise carry the whole process's string table (a
 * traceparent, trace id and span id per request) into an artifact meant to be about one request.
 */
final class ProfileCompaction {

  private ProfileCompaction() {
  }

  /** The whole profile, compacted. */
  static PprofProfile compact(PprofProfile p) {
    int[] all = new int[p.samples().size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return compact(p, all);
  }

  /** The profile of the samples at {@code kept} (ascending indexes), compacted. */
  static PprofProfile compact(PprofProfile p, int[] kept) {
    Samples samples = p.samples();
    IdIndex locationIndex = IdIndex.of(p.locations(), "location");
    boolean[] locationUsed = new boolean[p.locations().size()];
    for (int s : kept) {
      for (int d = 0; d < samples.locationCount(s); d++) {
        locationUsed[locationIndex.positionOf(samples.locationId(s, d))] = true;
      }
    }
    List<Location> locations = new ArrayList<>();
    IdIndex functionIndex = IdIndex.of(p.functions(), "function");
    IdIndex mappingIndex = IdIndex.of(p.mappings(), "mapping");
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
    for (int s : kept) {
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
    // Loops, not streams: this runs once per capture, on a JVM that has often just started.
    List<ValueType> sampleTypes = new ArrayList<>(p.sampleTypes().size());
    for (ValueType type : p.sampleTypes()) {
      sampleTypes.add(remap(type, newIndex));
    }
    List<Mapping> mappings = new ArrayList<>(keptMappings.size());
    for (Mapping m : keptMappings) {
      mappings.add(new Mapping(m.id(), m.memoryStart(), m.memoryLimit(), m.fileOffset(), newIndex[m.filename()],
          newIndex[m.buildId()], m.hasFunctions(), m.hasFilenames(), m.hasLineNumbers(), m.hasInlineFrames()));
    }
    List<Function> functions = new ArrayList<>(keptFunctions.size());
    for (Function f : keptFunctions) {
      functions.add(new Function(f.id(), newIndex[f.name()], newIndex[f.systemName()], newIndex[f.filename()],
          f.startLine()));
    }
    List<Integer> comments = new ArrayList<>(p.comments().size());
    for (int comment : p.comments()) {
      comments.add(newIndex[comment]);
    }
    return new PprofProfile(
        sampleTypes,
        samples.select(kept, newIndex),
        mappings,
        locations,
        functions,
        p.strings().retain(stringUsed),
        newIndex[p.dropFrames()],
        newIndex[p.keepFrames()],
        p.timeNanos(),
        p.durationNanos(),
        remap(p.periodType(), newIndex),
        p.period(),
        comments,
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
