package dev.gopherscope.sidecar.capture;

/** A capture cannot run or cannot finish, for a reason its message states for the session's status. */
public final class CaptureException extends RuntimeException {

  public CaptureException(String message) {
    super(message);
  }

  public CaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}
