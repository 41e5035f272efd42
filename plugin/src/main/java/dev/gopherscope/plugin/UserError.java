package dev.gopherscope.plugin;

/** A condition the user can act on, with its one-line message; printed as is, exit status 1. */
final class UserError extends RuntimeException {

  UserError(String message) {
    super(message);
  }

  UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
