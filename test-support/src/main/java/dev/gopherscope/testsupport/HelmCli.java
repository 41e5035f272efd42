package dev.gopherscope.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code helm} that {@code testenv/build-tools.sh} builds into
 * {@code $GOPHERSCOPE_CACHE/bin/helm-<HELM_VERSION>/}, run against the chart in this repository.
 * Its own config, cache and data directories live under {@code target/} so a developer's
 * repositories and plugins never leak into a test.
 */
public final class HelmCli {

  private static final long TIMEOUT_SECONDS = 180;

  private final Path helm;
  private final Path home;

  private HelmCli(Path helm, Path home) {
    this.helm = helm;
    this.home = home;
  }

  /** The pinned helm; {@link TestEnvironment#get()} builds it on first use. */
  public static HelmCli pinned() {
    TestEnvironment env = TestEnvironment.get();
    Path helm = env.cacheDir().resolve("bin").resolve("helm-" + env.version("HELM_VERSION")).resolve("helm");
    if (!Files.isExecutable(helm)) {
      throw new IllegalStateException(helm + " is missing although testenv/setup.sh ran: run testenv/build-tools.sh");
    }
    return new HelmCli(helm, TestEnvironment.scratchDir("helm-home"));
  }

  /** {@code helm/gopherscope} in this repository. */
  public static Path chart() {
    return TestEnvironment.get().repoRoot().resolve("helm").resolve("gopherscope");
  }

  public Result run(String... args) {
    return run(List.of(args));
  }

  public Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(helm.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
    builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
    builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
    builder.environment().remove("KUBECONFIG");
    try {
      Process process = builder.start();
      CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("helm " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(args, process.exitValue(), stdout.join(), stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + helm, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running helm", e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One helm invocation: what it was asked, its exit code and both outputs. */
  public record Result(List<String> args, int exitCode, String stdout, String stderr) {

    public boolean ok() {
      return exitCode == 0;
    }

    /** Everything helm said, for assertion messages. */
    public String describe() {
      return "helm " + String.join(" ", args) + " exited " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }
}
