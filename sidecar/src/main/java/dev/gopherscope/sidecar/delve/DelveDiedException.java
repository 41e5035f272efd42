package dev.gopherscope.sidecar.delve;

/** dlv died by no hand of the sidecar's (SIGKILLed from the node, OOM-killed), as its guard saw it. */
public class DelveDiedException extends DelveException {

  private final String how;

  public DelveDiedException(String message, String how, Throwable cause) {
    super(message, cause);
    this.how = how;
  }

  /** How dlv ended, e.g. "killed by signal 9 (killed)". */
  public String how() {
    return how;
  }
}
