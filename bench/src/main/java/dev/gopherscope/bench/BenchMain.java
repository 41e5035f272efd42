package dev.gopherscope.bench;

import dev.gopherscope.testsupport.TestEnvironment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code make bench}: runs the benchmarks (all, or those named as arguments) and writes
 * bench/results.md and bench/results.json. Benchmarks report; they never fail the build on noise.
 */
public final class BenchMain {

  private BenchMain() {
  }

  public static void main(String[] args) {
    int exit = 0;
    try {
      run(args);
    } catch (Exception e) {
      e.printStackTrace();
      exit = 1;
    }
    // Library threads of the in-process operator and its clients would keep a finished run alive;
    // the shutdown hooks stop what the benchmarks started (API server, etcd, s3proxy, processes).
    System.exit(exit);
  }

  private static void run(String[] args) throws Exception {
    TestEnvironment env = TestEnvironment.get();
    Path repo = env.repoRoot();
    List<String> selected = List.of(args);
    BenchResults results = new BenchResults();
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    machine.put("load average at start (1/5/15 min)", loadAverage());
    guarded(results, selected, "profile-processing", ProfileProcessingBench.SECTION,
        () -> ProfileProcessingBench.run(results, repo));
    guarded(results, selected, "pause", PauseBench.SECTION, () -> PauseBench.run(results, repo));
    guarded(results, selected, "attach-pause", AttachPauseBench.SECTION, () -> AttachPauseBench.run(results, repo));
    guarded(results, selected, "session-latency", SessionLatencyBench.SECTION,
        () -> SessionLatencyBench.run(results, repo));
    guarded(results, selected, "footprint", FootprintBench.SECTION, () -> FootprintBench.run(results, repo));
    guarded(results, selected, "node", NodeBench.SECTION, () -> NodeBench.run(results, repo));
    guarded(results, selected, "runtime-captures", RuntimeCaptureBench.SECTION,
        () -> RuntimeCaptureBench.run(results, repo));
    guarded(results, selected, "capture-cost", CaptureCostBench.SECTION, () -> CaptureCostBench.run(results, repo));
    guarded(results, selected, "trigger", TriggerBench.SECTION, () -> TriggerBench.run(results, repo));
    int sessions = Integer.getInteger("bench.sessions", 200);
    guarded(results, selected, "operator-scale", OperatorScaleBench.section(sessions),
        () -> OperatorScaleBench.run(results, repo, sessions));
    machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put("kubernetes", env.kubernetesVersion());
    machine.put("delve", env.version("DELVE_VERSION"));
    machine.put("go", goVersion());
    machine.put("load average at end (1/5/15 min)", loadAverage());
    results.write(repo.resolve("bench/results.md"), repo.resolve("bench/results.json"), machine);
    System.out.println("[bench] wrote bench/results.md and bench/results.json");
  }

  /**
   * Runs one benchmark; if it fails, its section says so and the others still run, so one broken
   * figure never costs the whole results file.
   */
  private static void guarded(BenchResults results, List<String> selected, String name, String section,
      Timing.ThrowingRunnable bench) {
    if (!wants(selected, name)) {
      return;
    }
    long start = System.nanoTime();
    try {
      bench.run();
    } catch (Exception | Error e) {
      e.printStackTrace();
      results.note(section, "**Not measured in this run: the benchmark failed** (" + e + ").");
    }
    System.out.printf(java.util.Locale.ROOT, "[bench] %s took %.0f s%n", name, (System.nanoTime() - start) / 1e9);
  }

  static String loadAverage() {
    try {
      String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return fields[0] + " / " + fields[1] + " / " + fields[2] + " (other work on the machine shares its cores)";
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static String goVersion() {
    try {
      Process go = new ProcessBuilder("go", "env", "GOVERSION").redirectErrorStream(true).start();
      String version = new String(go.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
      return go.waitFor() == 0 ? version : "unknown";
    } catch (java.io.IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static boolean wants(List<String> selected, String name) {
    return selected.isEmpty() || selected.contains(name);
  }
}
