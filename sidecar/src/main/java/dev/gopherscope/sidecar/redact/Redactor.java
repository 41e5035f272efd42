package dev.gopherscope.sidecar.redact;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.gopherscope.contract.RedactPatterns;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces what a session's {@code redact} patterns match with {@value #REPLACEMENT} before any
 * value leaves the pod: pprof label values (in JSON artifacts, the report, and the string tables
 * of profiles) and the variables of breakpoint snapshots. Only the matched text is replaced, so
 * {@code Authorization: Bearer abc} under {@code (?i)bearer [a-z0-9._-]+} becomes
 * {@code Authorization: [REDACTED]}.
 *
 * <p>Patterns are RE2, compiled once up front by {@link RedactPatterns} (the operator compiles
 * them the same way before injecting): a pattern that does not compile fails the session at the
 * start, before anything is captured, rather than letting a secret through unredacted. RE2/J
 * matches in time linear in the value, so a hostile label cannot make a pattern backtrack.
 * Immutable and thread-safe.
 */
public final class Redactor {

  public static final String REPLACEMENT = "[REDACTED]";
  private static final String QUOTED_REPLACEMENT = Matcher.quoteReplacement(REPLACEMENT);

  private final List<Pattern> patterns;

  private Redactor(List<Pattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** A redactor that changes nothing. */
  public static Redactor none() {
    return new Redactor(List.of());
  }

  /**
   * Compiles the session's patterns.
   *
   * @throws RedactPatterns.InvalidPatternException naming the first pattern that is empty or not valid RE2
   */
  public static Redactor compile(List<String> patterns) {
    return new Redactor(RedactPatterns.compile(patterns));
  }

  /** Whether there is anything to redact at all (the common case is not). */
  public boolean active() {
    return !patterns.isEmpty();
  }

  /** {@code value} with every match of every pattern replaced; null stays null. */
  public String redact(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    String result = value;
    for (Pattern pattern : patterns) {
      Matcher matcher = pattern.matcher(result);
      if (matcher.find()) {
        result = matcher.replaceAll(QUOTED_REPLACEMENT);
      }
    }
    return result;
  }

  /** The label map with its values redacted (keys are the app's vocabulary, not data), in the same order. */
  public Map<String, String> labels(Map<String, String> labels) {
    if (!active() || labels == null) {
      return labels;
    }
    Map<String, String> redacted = new LinkedHashMap<>();
    labels.forEach((key, value) -> redacted.put(key, redact(value)));
    return redacted;
  }

  /**
   * The profile with the data in its string table redacted: label values, comments, and strings
   * no one references. Code and schema strings (function and file names, mapping names, sample
   * types and units, label keys) are left alone, so the profile still reads the same in pprof.
   * Entries are replaced in place, so every index stays valid and no original survives anywhere
   * in the file.
   */
  public PprofProfile profile(PprofProfile profile) {
    if (!active()) {
      return profile;
    }
    return ProfileRedaction.redact(profile, this);
  }
}
