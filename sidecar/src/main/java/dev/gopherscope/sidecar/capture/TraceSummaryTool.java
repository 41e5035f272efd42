package dev.gopherscope.sidecar.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gopherscope.contract.ContractJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code trace-summary} (sidecar/trace-summary, a Go program on golang.org/x/exp/trace, the
 * parser {@code go tool trace} itself is built from) over a spooled execution trace. It ships next
 * to dlv in the sidecar image, as dlv-guard does; it runs as its own process, so the trace is never
 * parsed inside the sidecar's small heap.
 */
public final class TraceSummaryTool {

  public static final String NAME = "trace-summary";
  static final Duration TIMEOUT = Duration.ofMinutes(2);
  /** Ids are passed on the command line: a bound well below the kernel's argument limit. */
  public static final int MAX_GOROUTINES = 2000;
  private static final int MAX_ERROR = 1000;

  private final Path binary;

  public TraceSummaryTool(Path binary) {
    this.binary = binary;
  }

  /** The helper next to dlv (GOPHERSCOPE_DLV, --dlv), else on the PATH; empty when neither has it. */
  public static Optional<TraceSummaryTool> beside(Optional<Path> dlv) {
    Optional<Path> sibling = dlv.map(d -> d.resolveSibling(NAME)).filter(Files::isExecutable);
    if (sibling.isPresent()) {
      return sibling.map(TraceSummaryTool::new);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, NAME);
      if (Files.isExecutable(candidate)) {
        return Optional.of(new TraceSummaryTool(candidate));
      }
    }
    return Optional.empty();
  }

  public Path binary() {
    return binary;
  }

  /**
   * Reads {@code trace}.
   *
   * @param goroutines goroutine ids to account for in full (at most {@link #MAX_GOROUTINES})
   * @param top how many of the longest-running goroutines to list
   * @param excludeStw stop-the-world reasons left out of the STW figures
   * @throws CaptureException when the helper fails, says why
   */
  public TraceFigures summarize(Path trace, Collection<Long> goroutines, int top, List<String> excludeStw) {
    if (goroutines.size() > MAX_GOROUTINES) {
      throw new IllegalArgumentException(goroutines.size() + " goroutine ids, more than " + MAX_GOROUTINES);
    }
    List<String> command = new ArrayList<>(List.of(binary.toString(), "-top", String.valueOf(top)));
    if (!goroutines.isEmpty()) {
      command.addAll(List.of("-goroutines", goroutines.stream().map(String::valueOf).collect(Collectors.joining(","))));
    }
    if (!excludeStw.isEmpty()) {
      command.addAll(List.of("-exclude-stw", String.join(",", excludeStw)));
    }
    command.add(trace.toString());
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile(trace.getParent(), ".trace-summary", ".json");
      err = Files.createTempFile(trace.getParent(), ".trace-summary", ".err");
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new CaptureException(NAME + " did not finish reading the trace within " + TIMEOUT.toSeconds() + " s");
      }
      if (process.exitValue() != 0) {
        String error = Files.readString(err, StandardCharsets.UTF_8).strip();
        throw new CaptureException(NAME + " failed (exit " + process.exitValue() + "): "
            + (error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) + "…" : error));
      }
      return ContractJson.mapper().readValue(out.toFile(), TraceFigures.class);
    } catch (JsonProcessingException e) {
      throw new CaptureException(NAME + " wrote something other than its JSON summary: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CaptureException("cannot run " + binary + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CaptureException("interrupted while " + NAME + " read the trace", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A hidden temporary file in the spool, overwritten by nothing and removed with the spool.
    }
  }
}
