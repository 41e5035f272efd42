package dev.gopherscope.sidecar.redact;

import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.PprofProfile.Function;
import dev.gopherscope.sidecar.pprof.PprofProfile.Mapping;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import dev.gopherscope.sidecar.pprof.Samples;
import dev.gopherscope.sidecar.pprof.StringTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Does {@link Redactor#profile}: marks the string table entries that name code or schema, and
 * redacts every other entry in place. Redacting by exclusion means a label value that only
 * filtered-out samples used (and so no sample references any more) is redacted too.
 */
final class ProfileRedaction {

  private ProfileRedaction() {
  }

  static PprofProfile redact(PprofProfile p, Redactor redactor) {
    StringTable strings = p.strings();
    boolean[] schema = schemaStrings(p);
    List<String> redacted = new ArrayList<>(strings.size());
    boolean changed = false;
    for (int i = 0; i < strings.size(); i++) {
      String original = strings.get(i);
      String value = schema[i] ? original : redactor.redact(original);
      changed |= !value.equals(original);
      redacted.add(value);
    }
    if (!changed) {
      return p;
    }
    return new PprofProfile(p.sampleTypes(), p.samples(), p.mappings(), p.locations(), p.functions(),
        StringTable.of(redacted), p.dropFrames(), p.keepFrames(), p.timeNanos(), p.durationNanos(), p.periodType(),
        p.period(), p.comments(), p.defaultSampleType(), p.docUrl());
  }

  private static boolean[] schemaStrings(PprofProfile p) {
    boolean[] schema = new boolean[p.strings().size()];
    schema[0] = true;
    for (ValueType type : p.sampleTypes()) {
      mark(schema, type.type());
      mark(schema, type.unit());
    }
    mark(schema, p.periodType().type());
    mark(schema, p.periodType().unit());
    mark(schema, p.dropFrames());
    mark(schema, p.keepFrames());
    mark(schema, p.defaultSampleType());
    mark(schema, p.docUrl());
    for (Function f : p.functions()) {
      mark(schema, f.name());
      mark(schema, f.systemName());
      mark(schema, f.filename());
    }
    for (Mapping m : p.mappings()) {
      mark(schema, m.filename());
      mark(schema, m.buildId());
    }
    Samples samples = p.samples();
    for (int s = 0; s < samples.size(); s++) {
      for (int j = 0; j < samples.labelCount(s); j++) {
        mark(schema, samples.labelKey(s, j));
        mark(schema, samples.labelNumUnit(s, j));
      }
    }
    return schema;
  }

  private static void mark(boolean[] schema, int index) {
    if (index >= 0 && index < schema.length) {
      schema[index] = true;
    }
  }
}
