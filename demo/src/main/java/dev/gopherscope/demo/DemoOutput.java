package dev.gopherscope.demo;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.api.v1alpha1.StackGroupSummary;
import dev.gopherscope.api.v1alpha1.TraceStackSummary;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What both demos print, the same way: timed progress lines, the session's phases as they change,
 * its status summary, and the artifacts copied out of the object store with what to open them with.
 */
final class DemoOutput {

  static final String NAMESPACE = "shop";
  static final String SESSION = "checkout-slow";
  private static final long STARTED = System.nanoTime();

  private DemoOutput() {
  }

  static void step(String message) {
    System.out.printf(Locale.ROOT, "[demo %5.1fs] %s%n", seconds(), message);
    System.out.flush();
  }

  static double seconds() {
    return (System.nanoTime() - STARTED) / 1e9;
  }

  /** Polls the session, printing each phase it enters, until it ends or {@code timeout} passes. */
  static DebugSession awaitFinished(KubernetesClient client, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    SessionPhase last = null;
    while (System.nanoTime() < deadline) {
      DebugSession session = client.resources(DebugSession.class).inNamespace(NAMESPACE).withName(SESSION).get();
      DebugSessionStatus status = session == null ? null : session.getStatus();
      if (status != null && status.getPhase() != last) {
        last = status.getPhase();
        step("session phase " + last + (status.getMessage() == null ? "" : ": " + status.getMessage()));
      }
      if (last != null && last.isFinal()) {
        return session;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the session did not finish within " + timeout.toSeconds() + " s");
  }

  static void printSummary(DebugSessionStatus status) {
    System.out.println("Status: " + status.getPhase() + " - " + status.getMessage());
    status.getConditions().forEach(c -> System.out.printf("  %-17s %-5s %s%n", c.getType(), c.getStatus(), c.getReason()));
    if (status.getResults() != null) {
      var results = status.getResults();
      System.out.println("Goroutines seen: " + results.getGoroutines() + ", kept by the filter: "
          + results.getMatchedGoroutines());
      System.out.println("Traces found in goroutine labels (goroutines / blocked / innermost frames):");
      for (TraceStackSummary trace : nullSafe(results.getTraceStacks())) {
        System.out.printf("  %s  %3d / %3d  %s%n", trace.getTraceId(), trace.getGoroutines(), trace.getBlocked(),
            String.join(", ", nullSafe(trace.getTopFrames())));
      }
      System.out.println("Largest goroutine groups:");
      for (StackGroupSummary group : nullSafe(results.getTopGroups())) {
        System.out.printf("  %5d  %s%n", group.getCount(), String.join(" <- ", nullSafe(group.getFrames())));
      }
    }
    System.out.println();
  }

  /** Copies every artifact to {@code dir/<pod>/<name>} with {@code fetch} (its s3:// URI to its bytes). */
  static List<Path> download(DebugSessionStatus status, Path dir, Function<String, byte[]> fetch) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Artifact artifact : nullSafe(status.getArtifacts())) {
      Path file = dir.resolve(artifact.getPod()).resolve(artifact.getName());
      Files.createDirectories(file.getParent());
      Files.write(file, fetch.apply(artifact.getUri()));
      files.add(file);
    }
    return files;
  }

  static void printArtifacts(DebugSessionStatus status, List<Path> files, Path out, String store) {
    System.out.println("Artifacts (uploaded to " + store + " and copied to " + out.resolve("artifacts") + "):");
    for (Artifact artifact : nullSafe(status.getArtifacts())) {
      System.out.printf("  %-26s %-22s %8d bytes  sha256 %s...%n", artifact.getPod(), artifact.getName(),
          artifact.getBytes(), artifact.getSha256() == null ? "-" : artifact.getSha256().substring(0, 12));
    }
    files.stream().filter(f -> f.toString().endsWith(".html")).findFirst()
        .ifPresent(f -> System.out.println("Open the flame graph:  xdg-open " + f));
    files.stream().filter(f -> f.toString().endsWith("cpu.pb.gz")).findFirst()
        .ifPresent(f -> System.out.println("Explore the profile:   go tool pprof -http=127.0.0.1:0 " + f));
    files.stream().filter(f -> f.getFileName().toString().equals("trace-stacks.json")).findFirst()
        .ifPresent(f -> System.out.println("Stacks by trace:       " + f));
    System.out.println();
  }

  /** Fails the demo unless the session succeeded. */
  static void requireSucceeded(DebugSession done) {
    if (done.getStatus().getPhase() != SessionPhase.Succeeded) {
      throw new IllegalStateException("the session ended " + done.getStatus().getPhase() + ": "
          + done.getStatus().getMessage());
    }
  }

  static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** The real kubectl with {@code kubeconfig}; its output, stderr included. */
  static String kubectl(Path kubeconfig, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(TestEnvironment.get().kubectl().toString(),
        "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return output;
  }
}
