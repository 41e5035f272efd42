package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.contract.SidecarReport.CaptureOutcome;
import dev.gopherscope.contract.SidecarReport.HeapGrowth;
import dev.gopherscope.sidecar.pprof.GoPprof;
import dev.gopherscope.testsupport.GoDemoProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap over time in local mode against the real demo while it retains 256 KiB every 50 ms
 * ({@code /work/retain}, a cache that never evicts): three heap snapshots two seconds apart, and
 * the growth from the first to the last names {@code main.retainForever} as the top grower in the
 * report, with as many bytes as go tool pprof's own {@code -base} shows for it.
 */
class HeapGrowthIT {

  @TempDir
  Path dir;

  @Test
  void theRetainingStackIsTheTopGrowerAsGoToolPprofBaseShowsIt() throws Exception {
    GoPprof.assumeAvailable();
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try (GoDemoProcess demo = GoDemoProcess.start(20)) {
      load.scheduleWithFixedDelay(() -> demo.get("/work/retain?kb=256"), 0, 50, TimeUnit.MILLISECONDS);
      Path session = dir.resolve("heap.yaml");
      Files.writeString(session, """
          spec:
            pprof: {port: %d}
            captures:
              - {kind: Heap, every: 2s, count: 3}
            timeout: 60s
          """.formatted(demo.pprofPort()));
      Path out = dir.resolve("out");
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      int exit = SidecarMain.run(new String[] {"capture", "--pid", String.valueOf(demo.pid()), "-f", session.toString(),
          "--out", out.toString()}, Map.of(),
          new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
      load.shutdownNow();
      String log = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
      System.out.println(log);
      assertThat(exit).as(log).isZero();

      CaptureOutcome heap = ContractJson.mapper().readValue(out.resolve("report.json").toFile(), SidecarReport.class)
          .captures().get(0);
      assertThat(heap.message()).contains("3 heap snapshots 2000 ms apart", "top grower main.retainForever");
      HeapGrowth top = heap.heapGrowth().get(0);
      assertThat(top.frames().get(0)).isEqualTo("main.retainForever");
      // 40 requests a second for 4 s, 256 KiB each: several MiB even if a GC lags behind.
      assertThat(top.bytes()).isGreaterThan(4L << 20);
      assertThat(top.objects()).isPositive();

      String base = out.resolve("heap-1.pb.gz").toString();
      String last = out.resolve("heap-3.pb.gz").toString();
      String growth = out.resolve("heap-growth.pb.gz").toString();
      assertThat(retainForeverFlat(GoPprof.run("-top", "-sample_index=inuse_space", "-unit=B", "-base", base, last)))
          .as("go tool pprof -base's growth of main.retainForever").isEqualTo(top.bytes());
      assertThat(retainForeverFlat(GoPprof.run("-top", "-sample_index=inuse_space", "-unit=B", growth)))
          .as("heap-growth.pb.gz read by go tool pprof").isEqualTo(top.bytes());
      String html = Files.readString(out.resolve("heap-growth.html"));
      assertThat(html).contains("grew", "main.retainForever", "\"difference\":true");
    } finally {
      load.shutdownNow();
    }
  }

  /** The flat bytes of main.retainForever in {@code go tool pprof -top -unit=B} output. */
  private static long retainForeverFlat(String top) {
    List<String> line = top.lines().filter(l -> l.endsWith(" main.retainForever")).findFirst()
        .map(l -> Arrays.asList(l.trim().split("\\s+"))).orElseThrow(() -> new AssertionError("no main.retainForever "
            + "line in:\n" + top));
    return Long.parseLong(line.get(0).replace("B", ""));
  }
}
