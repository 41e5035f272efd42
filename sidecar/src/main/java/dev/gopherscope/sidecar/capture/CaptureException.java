package dev.gopherscope.sidecar.capture;

/** A capture cannot run or cannot finish, for a reason its message states for the session's status. */
public final class CaptureException extends RuntimeException {

  /** CamelCase reason for the status, or null for the generic {@link CaptureResult#CAPTURE_FAILED}. */
  private final String reason;

  public CaptureException(String message) {
    this(null, message, null);
  }

  public CaptureException(String message, Throwable cause) {
    this(null, message, cause);
  }

  private CaptureException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** A failure with its own CamelCase reason, e.g. {@link CaptureResult#ATTACH_PAUSE_OVER_BUDGET}. */
  public static CaptureException because(String reason, String message) {
    return new CaptureException(reason, message, null);
  }

  /** The CamelCase reason, or null for the generic one. */
  public String reason() {
    return reason;
  }
}
