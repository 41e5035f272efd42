package dev.gopherscope.sidecar.debuginfo;

/** Why no debug info could be had for a stripped target; Delve captures fail with it, pprof ones run on. */
public final class DebugInfoException extends RuntimeException {

  /** CamelCase reasons, for the status. */
  public enum Reason {
    /** Stripped, and this run has no way to fetch debug info (local mode without --debug-info). */
    NoDebugInfo,
    /** Nothing is published under the target's build ID. */
    DebugInfoNotPublished,
    /** What is published is not this build's debug info, or carries no DWARF. */
    DebugInfoMismatch,
    /** The operator did not answer, the download failed, or there is no room for the file. */
    DebugInfoUnavailable
  }

  private final Reason reason;

  public DebugInfoException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public DebugInfoException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
