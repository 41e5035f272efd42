package dev.gopherscope.operator.preflight;

import dev.gopherscope.api.v1alpha1.DebugSessionSpec;
import dev.gopherscope.contract.RedactPatterns;
import java.util.List;
import java.util.Optional;

/**
 * Refuses, before any pod is touched, a session whose sidecar would refuse to start: an ephemeral
 * container can never be removed from a pod, so a debugger that could only fail must not be put
 * there. The sidecar refuses redact patterns that are empty or not RE2; they are compiled here by
 * the same code. What else it checks in its plan at start-up (the trace filter, capture options)
 * the CRD already refuses at admission.
 */
public final class SidecarPlanCheck {

  public static final String INVALID_REDACT_PATTERN = "InvalidRedactPattern";

  private SidecarPlanCheck() {
  }

  public static Optional<PreflightFinding> refusal(DebugSessionSpec spec) {
    List<String> redact = spec.getRedact() == null ? List.of() : spec.getRedact();
    try {
      RedactPatterns.compile(redact);
      return Optional.empty();
    } catch (RedactPatterns.InvalidPatternException e) {
      return Optional.of(PreflightFinding.refuse(INVALID_REDACT_PATTERN, "spec.redact: " + e.getMessage()
          + "; nothing was injected: fix the pattern and create the session again"));
    }
  }
}
