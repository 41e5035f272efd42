package dev.gopherscope.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process a test started: its combined output goes to a log file, one line of it can be
 * awaited (a readiness line), and closing it kills it with all its descendants. Whatever is still
 * running when the JVM exits is killed by a shutdown hook, so no test leaves a process behind.
 */
public final class ManagedProcess implements AutoCloseable {

  private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ManagedProcess::close),
        "gopherscope-process-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Pattern readyPattern;
  private final CompletableFuture<Matcher> ready = new CompletableFuture<>();

  private ManagedProcess(String name, Process process, Path logFile, Pattern readyPattern) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.readyPattern = readyPattern;
  }

  /**
   * Starts {@code command}; output goes to {@code logFile}. When {@code readyPattern} is non-null,
   * {@link #awaitReady(Duration)} returns the first output line that matches it.
   */
  public static ManagedProcess start(String name, List<String> command, Map<String, String> env,
      Path logFile, Pattern readyPattern) {
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      ManagedProcess managed = new ManagedProcess(name, builder.start(), logFile, readyPattern);
      RUNNING.add(managed);
      managed.pumpOutput();
      return managed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  private void pumpOutput() {
    Thread pump = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
        String line;
        while ((line = reader.readLine()) != null) {
          log.write(line);
          log.write('\n');
          log.flush();
          if (readyPattern != null && !ready.isDone()) {
            Matcher matcher = readyPattern.matcher(line);
            if (matcher.find()) {
              ready.complete(matcher);
            }
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      } finally {
        ready.completeExceptionally(new IllegalStateException(
            name + " exited (code " + exitCodeOrUnknown() + ") before it was ready; see " + logFile));
      }
    }, name + "-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Waits for the readiness line and returns its match. */
  public Matcher awaitReady(Duration timeout) {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close();
      throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logFile);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + name, e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  public Process process() {
    return process;
  }

  private String exitCodeOrUnknown() {
    try {
      return process.waitFor(2, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** SIGKILL, as the OOM killer or a node failure would: no shutdown hooks run. Waits for the exit. */
  public void kill() {
    RUNNING.remove(this);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Kills the process tree: SIGTERM, then SIGKILL after two seconds. Safe to call twice. */
  @Override
  public void close() {
    RUNNING.remove(this);
    ProcessHandle handle = process.toHandle();
    List<ProcessHandle> tree = new java.util.ArrayList<>(handle.descendants().toList());
    tree.add(handle);
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(2, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        p.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + "]";
  }
}
