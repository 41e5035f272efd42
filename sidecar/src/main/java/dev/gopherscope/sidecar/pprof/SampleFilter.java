package dev.gopherscope.sidecar.pprof;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Keeps the samples of a profile whose labels satisfy a {@link LabelMatcher}, and drops what only
 * the other samples used (see {@link ProfileCompaction}), so that a trace's profile is as small as
 * the trace. For exact {@code key=value} pairs it keeps what {@code go tool pprof
 * -tagfocus='key=^value$'} keeps: pprof reads the value as an unanchored regular expression (or,
 * if it looks like a number, as a range of numeric labels), so it agrees without the anchors only
 * when no other value contains this one, as with trace ids.
 *
 * <p>Label keys and values are looked up in the string table once per profile, so testing a sample
 * compares integers; only the trace criterion reads label text, once per distinct value of a
 * trace-carrying label.
 */
public final class SampleFilter {

  private final LabelMatcher matcher;

  public SampleFilter(LabelMatcher matcher) {
    this.matcher = matcher;
  }

  /** The filtered, compacted profile. */
  public PprofProfile apply(PprofProfile profile) {
    if (matcher.matchesEverything()) {
      return profile;
    }
    return ProfileCompaction.compact(profile, matchingSamples(profile));
  }

  /** Indexes of the samples that match, ascending. */
  public int[] matchingSamples(PprofProfile profile) {
    Bound bound = new Bound(profile);
    Samples samples = profile.samples();
    int[] kept = new int[samples.size()];
    int count = 0;
    for (int s = 0; s < samples.size(); s++) {
      if (bound.matches(s)) {
        kept[count++] = s;
      }
    }
    return Arrays.copyOf(kept, count);
  }

  /** The matcher translated into one profile's string indexes. */
  private final class Bound {
    private final Samples samples;
    private final int[][] pairKeys;
    private final int[][] pairValues;
    private final int[][] requiredKeys;
    private final TraceCriterion trace;
    private final boolean impossible;

    Bound(PprofProfile profile) {
      samples = profile.samples();
      StringTable strings = profile.strings();
      boolean missing = false;
      pairKeys = new int[matcher.labels().size()][];
      pairValues = new int[matcher.labels().size()][];
      int i = 0;
      for (Map.Entry<String, String> pair : matcher.labels().entrySet()) {
        pairKeys[i] = strings.indexesOf(pair.getKey());
        // Index 0 is "": pprof reads a label with an empty value as no label at all.
        pairValues[i] = pair.getValue().isEmpty() ? new int[0] : strings.indexesOf(pair.getValue());
        missing |= pairKeys[i].length == 0 || pairValues[i].length == 0;
        i++;
      }
      requiredKeys = new int[matcher.keys().size()][];
      i = 0;
      for (String key : matcher.keys()) {
        requiredKeys[i] = strings.indexesOf(key);
        missing |= requiredKeys[i].length == 0;
        i++;
      }
      trace = matcher.traceId().isPresent() ? new TraceCriterion(matcher.traceId().get(), samples, strings) : null;
      impossible = missing || trace != null && !trace.possible();
    }

    boolean matches(int s) {
      if (impossible) {
        return false;
      }
      for (int p = 0; p < pairKeys.length; p++) {
        if (!hasPair(s, pairKeys[p], pairValues[p])) {
          return false;
        }
      }
      for (int[] key : requiredKeys) {
        if (!hasKey(s, key)) {
          return false;
        }
      }
      return trace == null || trace.matches(s);
    }

    private boolean hasPair(int s, int[] keys, int[] values) {
      for (int j = 0; j < samples.labelCount(s); j++) {
        if (contains(keys, samples.labelKey(s, j)) && contains(values, samples.labelStr(s, j))) {
          return true;
        }
      }
      return false;
    }

    private boolean hasKey(int s, int[] keys) {
      for (int j = 0; j < samples.labelCount(s); j++) {
        // A label with neither a string nor a number is dropped by pprof, so it is not "present".
        if (contains(keys, samples.labelKey(s, j))
            && (samples.labelStr(s, j) != 0 || samples.labelNum(s, j) != 0 || samples.labelNumUnit(s, j) != 0)) {
          return true;
        }
      }
      return false;
    }
  }

  private static boolean contains(int[] indexes, int index) {
    for (int candidate : indexes) {
      if (candidate == index) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a sample's labels name one trace, decided exactly as {@link TraceLabels#of} decides
   * (the first convention with a well-formed id wins) but with each distinct label value parsed
   * once per profile: many samples share a traceparent, and parsing is the costly part.
   */
  private static final class TraceCriterion {
    private static final byte UNKNOWN = 0;
    private static final byte MALFORMED = 1;
    private static final byte OTHER_TRACE = 2;
    private static final byte THIS_TRACE = 3;

    private final String traceId;
    private final Samples samples;
    private final StringTable strings;
    private final TraceLabels.Convention[] conventions = TraceLabels.Convention.values();
    // keyIndexes[c][k]: the string indexes of key k of convention c; verdicts[c]: per value index.
    private final int[][][] keyIndexes = new int[conventions.length][][];
    private final byte[][] verdicts = new byte[conventions.length][];

    TraceCriterion(String traceId, Samples samples, StringTable strings) {
      this.traceId = traceId;
      this.samples = samples;
      this.strings = strings;
      for (int c = 0; c < conventions.length; c++) {
        List<String> keys = conventions[c].traceKeys;
        keyIndexes[c] = new int[keys.size()][];
        for (int k = 0; k < keys.size(); k++) {
          keyIndexes[c][k] = strings.indexesOf(keys.get(k));
        }
      }
    }

    /** False when no trace key occurs in the profile at all. */
    boolean possible() {
      for (int[][] convention : keyIndexes) {
        for (int[] indexes : convention) {
          if (indexes.length > 0) {
            return true;
          }
        }
      }
      return false;
    }

    boolean matches(int s) {
      for (int c = 0; c < conventions.length; c++) {
        for (int[] key : keyIndexes[c]) {
          int value = valueOf(s, key);
          if (value > 0) {
            byte verdict = verdict(c, value);
            if (verdict != MALFORMED) {
              return verdict == THIS_TRACE;
            }
          }
        }
      }
      return false;
    }

    private int valueOf(int s, int[] key) {
      if (key.length == 0) {
        return 0;
      }
      for (int j = 0; j < samples.labelCount(s); j++) {
        if (samples.labelStr(s, j) != 0 && contains(key, samples.labelKey(s, j))) {
          return samples.labelStr(s, j);
        }
      }
      return 0;
    }

    private byte verdict(int convention, int value) {
      if (verdicts[convention] == null) {
        verdicts[convention] = new byte[strings.size()];
      }
      byte verdict = verdicts[convention][value];
      if (verdict == UNKNOWN) {
        verdict = conventions[convention].traceId(strings.decode(value))
            .map(id -> id.equals(traceId) ? THIS_TRACE : OTHER_TRACE).orElse(MALFORMED);
        verdicts[convention][value] = verdict;
      }
      return verdict;
    }
  }
}
