package dev.gopherscope.sidecar.pprofhttp;

/**
 * A profile could not be fetched from the app's pprof endpoint. The message names the endpoint
 * and what went wrong in words a person can act on, because it ends up in the session's status.
 */
public final class PprofFetchException extends RuntimeException {

  public PprofFetchException(String message) {
    super(message);
  }

  public PprofFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
