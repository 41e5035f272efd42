package dev.gopherscope.sidecar.app;

/**
 * No process can be captured from.
 *
 * @see #reason()
 */
final class TargetLookupException extends RuntimeException {

  private final String reason;

  TargetLookupException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** CamelCase, for the target's status: NoProcess, NotAGoProcess, AmbiguousProcess, NoDebugInfo, PtraceNotAllowed. */
  String reason() {
    return reason;
  }
}
