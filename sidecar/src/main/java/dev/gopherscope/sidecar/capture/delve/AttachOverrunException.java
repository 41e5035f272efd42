package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.delve.DelveException;

/** An attach kept the target halted past its budget, so the watchdog killed dlv; the target runs on. */
public final class AttachOverrunException extends DelveException {

  AttachOverrunException(String message, Throwable cause) {
    super(message, cause);
  }
}
