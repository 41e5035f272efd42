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

  public static void main(String[] args) throws Exception {
    TestEnvironment env = TestEnvironment.get();
    Path repo = env.repoRoot();
    List<String> selected = List.of(args);
    BenchResults results = new BenchResults();
    Path classpath = Path.of(System.getProperty("java.class.path"));
    if (wants(selected, "profile-processing")) {
      ProfileProcessingBench.run(results, repo, classpath);
    }
    if (wants(selected, "operator-scale")) {
      OperatorScaleBench.run(results, repo, Integer.getInteger("bench.sessions", 200));
    }
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put("kubernetes", env.kubernetesVersion());
    machine.put("delve", env.version("DELVE_VERSION"));
    results.write(repo.resolve("bench/results.md"), repo.resolve("bench/results.json"), machine);
    System.out.println("[bench] wrote bench/results.md and bench/results.json");
  }

  private static boolean wants(List<String> selected, String name) {
    return selected.isEmpty() || selected.contains(name);
  }
}
