package dev.gopherscope.bench;

import dev.gopherscope.sidecar.delve.DelveClient;
import dev.gopherscope.sidecar.delve.DelveException;
import dev.gopherscope.sidecar.delve.DelveServer;
import dev.gopherscope.sidecar.delve.DelveTypes.GoroutineFilter;
import dev.gopherscope.testsupport.ManagedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much memory dlv takes: loaded with a binary ({@code dlv exec}, stopped at the entry point,
 * after State and ListGoroutines have been answered), and attached to a live process during a
 * label-filtered listing of all its goroutines. Its helpers are counted apart: the Go telemetry
 * child dlv 1.27 starts unless telemetry is off, and the sidecar's {@code dlv-guard}.
 */
final class DlvMemory {

  private static final Pattern LISTENING = Pattern.compile("API server listening at: (\\S+):(\\d+)");

  private DlvMemory() {
  }

  /**
   * @param peakRss dlv's VmHWM
   * @param helpersRss the RSS of its helper processes (telemetry child, guard) at the same moment
   * @param millis from starting dlv to the answer of ListGoroutines (exec), or the listing's pause (attach)
   */
  record Measured(long peakRss, long helpersRss, double millis, int goroutines) {
  }

  /** {@code dlv exec binary -- args}: dlv loads the binary and its DWARF and stops at the entry point. */
  static Measured exec(Path dlv, Path binary, List<String> args, Path log) {
    List<String> command = new ArrayList<>(List.of(dlv.toString(), "exec", "--headless", "--api-version=2",
        "--listen=127.0.0.1:0", binary.toString(), "--"));
    command.addAll(args);
    long start = System.nanoTime();
    ManagedProcess process = ManagedProcess.start("dlv-exec", command, Map.of(), log, LISTENING);
    try {
      Matcher listening = process.awaitReady(Duration.ofSeconds(120));
      try (DelveClient client = DelveClient.connect(listening.group(1), Integer.parseInt(listening.group(2)),
          Duration.ofMinutes(5))) {
        client.state();
        int goroutines;
        try {
          goroutines = client.listGoroutines(0, 0, List.of()).goroutinesOrEmpty().size();
        } catch (DelveException e) {
          goroutines = 0; // before the runtime has started there may be nothing to list
        }
        double millis = (System.nanoTime() - start) / 1e6;
        long peak = ProcessMemory.peakRssBytes(process.pid());
        long helpers = helpersRss(process.pid());
        try {
          client.detach(true);
        } catch (DelveException e) {
          // Killing dlv below ends the stopped debuggee too.
        }
        return new Measured(peak, helpers, millis, goroutines);
      }
    } finally {
      process.close();
    }
  }

  /**
   * dlv attached to {@code pid} as the sidecar attaches it ({@link DelveServer}), then one halt to
   * list every goroutine that has label {@code key=value} (Delve reads all of them to filter).
   */
  static Measured attachAndList(Path dlv, long pid, String key, String value) {
    try (DelveServer server = DelveServer.attach(dlv, pid, Duration.ofSeconds(120));
         DelveClient client = server.connect(Duration.ofMinutes(2))) {
      client.version();
      client.resumeAndConfirm();
      PauseBench.sleep(200);
      long haltStart = System.nanoTime();
      client.halt();
      int matched = client.listGoroutines(0, 0, List.of(GoroutineFilter.label(key, value))).goroutinesOrEmpty().size();
      client.resumeAndConfirm();
      double pause = (System.nanoTime() - haltStart) / 1e6;
      return new Measured(ProcessMemory.peakRssBytes(server.pid()), helpersRss(server.pid()), pause, matched);
    }
  }

  /** RSS of dlv's telemetry children and of its parent when that is the sidecar's dlv-guard. */
  private static long helpersRss(long dlvPid) {
    long sum = 0;
    Optional<ProcessHandle> dlv = ProcessHandle.of(dlvPid);
    if (dlv.isEmpty()) {
      return 0;
    }
    for (ProcessHandle child : dlv.get().children().toList()) {
      if (cmdline(child.pid()).contains("telemetry")) {
        sum += Math.max(0, ProcessMemory.rssBytes(child.pid()));
      }
    }
    Optional<ProcessHandle> parent = dlv.get().parent();
    if (parent.isPresent() && cmdline(parent.get().pid()).contains("dlv-guard")) {
      sum += Math.max(0, ProcessMemory.rssBytes(parent.get().pid()));
    }
    return sum;
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }
}
