package dev.gopherscope.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real terminal: a detached tmux session on a server socket of its own, running one command,
 * whose screen is read back with {@code capture-pane}. Closing kills that server only.
 */
public final class Tmux implements AutoCloseable {

  private final String socket;
  private final String session = "plugin";

  private Tmux(String socket) {
    this.socket = socket;
  }

  public static boolean available() {
    try {
      return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Starts {@code command} in a 160x50 terminal in {@code dir} with exactly {@code env}; the pane stays after it exits. */
  public static Tmux start(Path dir, Map<String, String> env, String command) {
    Tmux tmux = new Tmux("gs-plugin-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", tmux.session, "-x", "160", "-y", "50",
        "-c", dir.toString()));
    env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
    // "; sleep": keep the screen readable after the plugin exits.
    args.add(command + "; echo \"[exit $?]\"; sleep 600");
    tmux.tmux(args.toArray(String[]::new));
    return tmux;
  }

  public String screen() {
    return tmux("capture-pane", "-p", "-t", session);
  }

  public void sendKeys(String... keys) {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
    args.addAll(List.of(keys));
    tmux(args.toArray(String[]::new));
  }

  /** Polls the screen until {@code condition} holds; fails with the last screen when it does not in time. */
  public String awaitScreen(Predicate<String> condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String screen = screen();
    while (!condition.test(screen)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the terminal never showed " + what + " within " + timeout.toSeconds()
            + " s; its screen:\n" + screen);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      screen = screen();
    }
    return screen;
  }

  private String tmux(String... args) {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run tmux", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      tmux("kill-server");
    } catch (IllegalStateException alreadyGone) {
      // the server exits by itself when its last session ends
    }
  }
}
