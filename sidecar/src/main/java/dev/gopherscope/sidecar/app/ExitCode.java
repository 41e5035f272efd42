package dev.gopherscope.sidecar.app;

/** How the sidecar's process ends; {@code sidecar --help} lists them. */
public enum ExitCode {
  /** Every capture succeeded and every artifact is where it belongs (run mode: the target is Done). */
  OK(0),
  /** The session ran, but a capture failed or an artifact could not be stored; report.json says which. */
  FAILED(1),
  /** The command line, the session file, the plan or the environment is wrong; nothing was captured. */
  USAGE(2),
  /** The target process cannot be debugged (not found, not Go, several candidates); nothing was captured. */
  TARGET(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
