package dev.gopherscope.sidecar.app;

/** The command line, session file or environment cannot be used; the message says what to change. */
final class UsageException extends RuntimeException {

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
