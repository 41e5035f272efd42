package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** For logs and pipes: a line each time the session's or a target's state changes. */
final class PlainProgress implements ProgressView {

  private final PrintWriter out;
  private final Set<String> printed = new HashSet<>();

  PlainProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void show(DebugSession session, Duration elapsed) {
    print(ProgressLines.session(session), elapsed);
    ProgressLines.targets(session).forEach(line -> print(line, elapsed));
    out.flush();
  }

  private void print(String line, Duration elapsed) {
    if (printed.add(line)) {
      out.printf(Locale.ROOT, "[%5.1fs] %s%n", elapsed.toMillis() / 1000.0, line);
    }
  }

  @Override
  public void finish() {
    out.flush();
  }
}
