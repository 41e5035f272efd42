package dev.gopherscope.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real plugin as a user does: the built launcher script ({@code plugin/target/kubectl-gopherscope})
 * as a process, with KUBECONFIG pointing at the cluster under test, in a working directory of its own.
 * Nothing of the test JVM's environment leaks in but PATH, HOME and JAVA_HOME.
 */
public final class PluginCli {

  /** What one run printed and how it exited. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String all() {
      return stdout + stderr;
    }
  }

  private final Path launcher;
  private final Path kubeconfig;
  private final Path workDir;
  private final Map<String, String> env;

  public PluginCli(Path launcher, Path kubeconfig, Path workDir, Map<String, String> env) {
    this.launcher = launcher;
    this.kubeconfig = kubeconfig;
    this.workDir = workDir;
    this.env = Map.copyOf(env);
  }

  /** The launcher Maven built in this checkout. */
  public static Path builtLauncher() {
    Path launcher = TestEnvironment.get().repoRoot().resolve("plugin/target/kubectl-gopherscope");
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException(launcher + " is missing: the plugin module's package phase builds it");
    }
    return launcher;
  }

  public PluginCli withKubeconfig(Path other) {
    return new PluginCli(launcher, other, workDir, env);
  }

  public PluginCli withEnv(Map<String, String> more) {
    Map<String, String> merged = new HashMap<>(env);
    merged.putAll(more);
    return new PluginCli(launcher, kubeconfig, workDir, merged);
  }

  public Path launcher() {
    return launcher;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path workDir() {
    return workDir;
  }

  /** The environment a run gets; also what a terminal run under tmux is given. */
  public Map<String, String> environment() {
    Map<String, String> e = new HashMap<>();
    for (String keep : List.of("PATH", "HOME", "JAVA_HOME", "LANG")) {
      String value = System.getenv(keep);
      if (value != null) {
        e.put(keep, value);
      }
    }
    e.put("KUBECONFIG", kubeconfig.toString());
    e.putAll(env);
    return e;
  }

  public Result run(String... args) {
    return run(Duration.ofMinutes(3), args);
  }

  public Result run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment());
    try {
      Files.createDirectories(workDir);
      Path stdout = Files.createTempFile(workDir, ".stdout-", "");
      Path stderr = Files.createTempFile(workDir, ".stderr-", "");
      Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("kubectl-gopherscope " + String.join(" ", args) + " still running after "
            + timeout.toSeconds() + " s; it printed:\n" + Files.readString(stdout) + Files.readString(stderr));
      }
      Result result = new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
      Files.delete(stdout);
      Files.delete(stderr);
      System.out.printf("[plugin] $ kubectl gopherscope %s -> exit %d%n%s%s", String.join(" ", args),
          result.exitCode(), result.stdout(), result.stderr());
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
