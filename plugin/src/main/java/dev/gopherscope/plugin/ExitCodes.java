package dev.gopherscope.plugin;

/** What the plugin's exit status means, as scripts read it. */
final class ExitCodes {

  static final int OK = 0;
  /** An error, or the session ended Failed. */
  static final int FAILED = 1;
  /** The command line was wrong (picocli's own code for usage errors). */
  static final int USAGE = 2;
  /** Interrupted by Ctrl-C (128 + SIGINT, as shells report it). */
  static final int INTERRUPTED = 130;

  private ExitCodes() {
  }
}
