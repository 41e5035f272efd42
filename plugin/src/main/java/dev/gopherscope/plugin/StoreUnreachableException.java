package dev.gopherscope.plugin;

import java.io.IOException;

/** The object store did not answer at all: no artifact can be read, so the download stops at the first. */
final class StoreUnreachableException extends IOException {

  StoreUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
