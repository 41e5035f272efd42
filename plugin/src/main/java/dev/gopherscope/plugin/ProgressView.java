package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import java.io.PrintWriter;
import java.time.Duration;

/** How a running session is shown: one block redrawn in place on a terminal, plain lines elsewhere. */
interface ProgressView {

  void show(DebugSession session, Duration elapsed);

  /** The session ended or is no longer followed. */
  void finish();

  static ProgressView choose(String mode, PrintWriter out) {
    return switch (mode) {
      case "block" -> new TerminalProgress(out, TerminalProgress.width());
      case "plain" -> new PlainProgress(out);
      case "auto" -> System.console() != null ? new TerminalProgress(out, TerminalProgress.width()) : new PlainProgress(out);
      default -> throw new UserError("--progress is auto, block or plain, not " + mode);
    };
  }
}
