package dev.gopherscope.contract;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a session's {@code spec.redact} patterns. The sidecar redacts with what this returns
 * and the operator calls it before injecting, so the two agree on what compiles: an ephemeral
 * container can never be removed from a pod, and a sidecar that refuses its patterns would be
 * left there for nothing.
 *
 * <p>Patterns use RE2 syntax and run under RE2/J, whose matching time is linear in the input.
 * They run inside the target's pod on label values an attacker may control (request headers
 * turned into pprof labels), where a backtracking engine would let {@code (a+)+$} on a long label
 * burn the pod's CPU. RE2 has no backreferences and no lookaround, so such patterns do not compile.
 */
public final class RedactPatterns {

  private RedactPatterns() {
  }

  /**
   * @throws InvalidPatternException naming the first pattern that is empty or not valid RE2
   */
  public static List<Pattern> compile(List<String> patterns) {
    List<Pattern> compiled = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      if (pattern == null || pattern.isEmpty()) {
        throw new InvalidPatternException("redact pattern #" + (i + 1) + " is empty: it would match everywhere");
      }
      try {
        compiled.add(Pattern.compile(pattern));
      } catch (PatternSyntaxException e) {
        throw new InvalidPatternException("redact pattern #" + (i + 1) + " '" + pattern
            + "' is not a valid RE2 regular expression (" + e.getMessage()
            + "); RE2 has no backreferences or lookaround");
      }
    }
    return compiled;
  }

  /** A redact pattern that cannot be used; the session fails before anything is injected or captured. */
  public static final class InvalidPatternException extends IllegalArgumentException {
    public InvalidPatternException(String message) {
      super(message);
    }
  }
}
