package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One block redrawn in place: the cursor goes back up over the previous block and each line is
 * rewritten. Lines are cut to the terminal's width, as a wrapped line would throw the count off.
 */
final class TerminalProgress implements ProgressView {

  private static final String CLEAR_LINE = "\u001b[2K";
  private final PrintWriter out;
  private final int width;
  private int drawn;

  TerminalProgress(PrintWriter out, int width) {
    this.out = out;
    this.width = width;
  }

  @Override
  public void show(DebugSession session, Duration elapsed) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%s  (%.0fs)", ProgressLines.session(session), elapsed.toMillis() / 1000.0));
    lines.addAll(ProgressLines.targets(session));
    StringBuilder frame = new StringBuilder();
    if (drawn > 0) {
      frame.append("\u001b[").append(drawn).append('A');
    }
    for (String line : lines) {
      frame.append('\r').append(CLEAR_LINE).append(cut(line)).append('\n');
    }
    // A block that shrank leaves old lines below it: clear them.
    for (int i = lines.size(); i < drawn; i++) {
      frame.append('\r').append(CLEAR_LINE).append('\n');
    }
    int extra = Math.max(0, drawn - lines.size());
    if (extra > 0) {
      frame.append("\u001b[").append(extra).append('A');
    }
    drawn = lines.size();
    out.print(frame);
    out.flush();
  }

  private String cut(String line) {
    return line.length() <= width ? line : line.substring(0, Math.max(1, width - 1)) + "…";
  }

  @Override
  public void finish() {
    out.flush();
  }

  /** The terminal's columns, from stty on the controlling terminal; 80 when it cannot tell. */
  static int width() {
    try {
      Process stty = new ProcessBuilder("stty", "size").redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
      if (stty.waitFor() == 0 && size.length == 2) {
        return Integer.parseInt(size[1]);
      }
    } catch (IOException | NumberFormatException e) {
      // no terminal or no stty: fall back
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 80;
  }
}
