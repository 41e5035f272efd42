package dev.gopherscope.sidecar.pprof;

import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Line;
import dev.gopherscope.sidecar.pprof.PprofProfile.Location;
import dev.gopherscope.sidecar.pprof.PprofProfile.Mapping;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;

/**
 * The consistency checks {@code go tool pprof} applies when it reads a profile (Go's
 * {@code Profile.CheckValid} and the string lookups of its decoder): one value per sample type,
 * unique non-zero ids, every referenced location and function present, every string index inside
 * the table. A profile that passes opens in pprof, and code downstream may rely on it. Like Go, a
 * location's unknown {@code mapping_id} is tolerated (pprof reads it as "no mapping").
 */
final class ProfileValidator {

  private ProfileValidator() {
  }

  static void check(PprofProfile p) {
    int strings = p.strings().size();
    int types = p.sampleTypes().size();
    Samples samples = p.samples();
    if (types == 0 && samples.size() > 0) {
      throw invalid("the profile has samples but no sample_type");
    }
    // Messages are built only on failure: on a cold JVM each string concatenation site costs a
    // bootstrap, and these run once per mapping and function of every profile.
    for (int i = 0; i < types; i++) {
      checkValueType(p.sampleTypes().get(i), "sample_type #", i, strings);
    }
    checkValueType(p.periodType(), "period_type", -1, strings);
    checkString(p.dropFrames(), "drop_frames", strings);
    checkString(p.keepFrames(), "keep_frames", strings);
    checkString(p.defaultSampleType(), "default_sample_type", strings);
    checkString(p.docUrl(), "doc_url", strings);
    for (int i = 0; i < p.comments().size(); i++) {
      if (!isString(p.comments().get(i), strings)) {
        checkString(p.comments().get(i), "comment #" + i, strings);
      }
    }
    for (Mapping m : p.mappings()) {
      if (!isString(m.filename(), strings) || !isString(m.buildId(), strings)) {
        String where = "mapping " + Long.toUnsignedString(m.id());
        checkString(m.filename(), where + " filename", strings);
        checkString(m.buildId(), where + " build_id", strings);
      }
    }
    for (Function f : p.functions()) {
      if (!isString(f.name(), strings) || !isString(f.systemName(), strings) || !isString(f.filename(), strings)) {
        String where = "function " + Long.toUnsignedString(f.id());
        checkString(f.name(), where + " name", strings);
        checkString(f.systemName(), where + " system_name", strings);
        checkString(f.filename(), where + " filename", strings);
      }
    }
    IdIndex.of(p.mappings(), "mapping");
    IdIndex functions = IdIndex.of(p.functions(), "function");
    IdIndex locations = IdIndex.of(p.locations(), "location");
    for (Location location : p.locations()) {
      for (Line line : location.lines()) {
        if (functions.positionOf(line.functionId()) == IdIndex.ABSENT) {
          throw invalid("location " + Long.toUnsignedString(location.id()) + " has a line in function "
              + Long.toUnsignedString(line.functionId()) + ", which the profile does not define");
        }
      }
    }
    for (int s = 0; s < samples.size(); s++) {
      if (samples.valueCount(s) != types) {
        throw invalid("sample #" + s + " has " + samples.valueCount(s) + " values but the profile has "
            + types + " sample types");
      }
      for (int d = 0; d < samples.locationCount(s); d++) {
        if (locations.positionOf(samples.locationId(s, d)) == IdIndex.ABSENT) {
          throw invalid("sample #" + s + " refers to location "
              + Long.toUnsignedString(samples.locationId(s, d)) + ", which the profile does not define");
        }
      }
      for (int j = 0; j < samples.labelCount(s); j++) {
        // Messages are built only on failure: this loop runs once per label of every sample.
        if (!isString(samples.labelKey(s, j), strings) || !isString(samples.labelStr(s, j), strings)
            || !isString(samples.labelNumUnit(s, j), strings)) {
          checkString(samples.labelKey(s, j), "sample #" + s + " label #" + j + " key", strings);
          checkString(samples.labelStr(s, j), "sample #" + s + " label #" + j + " str", strings);
          checkString(samples.labelNumUnit(s, j), "sample #" + s + " label #" + j + " num_unit", strings);
        }
      }
    }
  }

  /** {@code index} is the value type's position in its list, or -1 when {@code field} names it alone. */
  private static void checkValueType(ValueType type, String field, int index, int strings) {
    if (!isString(type.type(), strings) || !isString(type.unit(), strings)) {
      String where = index < 0 ? field : field + index;
      checkString(type.type(), where + " type", strings);
      checkString(type.unit(), where + " unit", strings);
    }
  }

  private static boolean isString(int index, int strings) {
    return index >= 0 && index < strings;
  }

  private static void checkString(int index, String where, int strings) {
    if (!isString(index, strings)) {
      throw invalid(where + " refers to string " + index + " but the string table has " + strings + " entries");
    }
  }

  private static PprofFormatException invalid(String problem) {
    return new PprofFormatException("invalid pprof profile: " + problem);
  }
}
