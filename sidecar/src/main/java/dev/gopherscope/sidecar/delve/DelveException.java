package dev.gopherscope.sidecar.delve;

/** Delve answered with an error, or the conversation with it broke. */
public class DelveException extends RuntimeException {

  public DelveException(String message) {
    super(message);
  }

  public DelveException(String message, Throwable cause) {
    super(message, cause);
  }
}
