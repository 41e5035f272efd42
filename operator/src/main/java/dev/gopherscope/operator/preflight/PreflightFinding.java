package dev.gopherscope.operator.preflight;

/**
 * One thing pre-flight found about a target. A refusal stops the session before the pod is
 * touched; a warning lets it proceed and is reported.
 */
public record PreflightFinding(boolean refusal, String reason, String message) {

  public static PreflightFinding refuse(String reason, String message) {
    return new PreflightFinding(true, reason, message);
  }

  public static PreflightFinding warn(String reason, String message) {
    return new PreflightFinding(false, reason, message);
  }
}
