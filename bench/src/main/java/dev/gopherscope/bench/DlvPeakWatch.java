package dev.gopherscope.bench;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peak resident memory (VmHWM) of the dlv processes this JVM's children start to attach to one
 * target, such as the dlv a sidecar spawns: found among this JVM's descendants by executable name
 * and sampled every 10 ms until closed. VmHWM only rises, so the sample before dlv exits holds
 * nearly all of its peak. It also keeps the CPU time dlv had used by its last sample: on a shared
 * machine the attach's wall time includes waiting for a core, its CPU time does not.
 */
final class DlvPeakWatch implements AutoCloseable {

  private final String targetPid;
  private final AtomicLong peak = new AtomicLong();
  private final java.util.Map<Long, Long> cpuTicks = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  private DlvPeakWatch(long targetPid) {
    this.targetPid = Long.toString(targetPid);
    this.thread = new Thread(this::loop, "dlv-peak-" + targetPid);
    thread.setDaemon(true);
  }

  static DlvPeakWatch start(long targetPid) {
    DlvPeakWatch watch = new DlvPeakWatch(targetPid);
    watch.thread.start();
    return watch;
  }

  private void loop() {
    while (running.get()) {
      sample();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    ProcessHandle.current().descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/dlv")).orElse(false))
        .filter(p -> p.info().arguments().map(args -> java.util.List.of(args).contains(targetPid)).orElse(true))
        .forEach(p -> {
          peak.accumulateAndGet(Math.max(0, ProcessMemory.peakRssBytes(p.pid())), Math::max);
          long ticks = cpuTicks(p.pid());
          if (ticks >= 0) {
            cpuTicks.merge(p.pid(), ticks, Math::max);
          }
        });
  }

  /** utime + stime from /proc/PID/stat, in clock ticks (USER_HZ, 100 on Linux), or -1. */
  private static long cpuTicks(long pid) {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command (which may hold spaces) start after the last ')'; utime is field 14.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The CPU time the watched dlv processes had used by their last sample, in ms. */
  double cpuMillis() {
    return cpuTicks.values().stream().mapToLong(Long::longValue).sum() * 10.0;
  }

  /** The highest VmHWM seen so far, 0 if no dlv was seen. */
  long peakRssBytes() {
    sample();
    return peak.get();
  }

  @Override
  public void close() {
    running.set(false);
    thread.interrupt();
  }
}
