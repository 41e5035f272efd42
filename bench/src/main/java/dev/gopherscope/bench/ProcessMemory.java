package dev.gopherscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of a process from /proc/<pid>/status: now (VmRSS) and at its peak (VmHWM); and
 * whether a debugger has it under ptrace (TracerPid).
 */
final class ProcessMemory {

  private ProcessMemory() {
  }

  static long rssBytes(long pid) {
    return field(pid, "VmRSS:");
  }

  static long peakRssBytes(long pid) {
    return field(pid, "VmHWM:");
  }

  /** The pid of the process tracing {@code pid} (a debugger), 0 when none, -1 when unknown. */
  static long tracerPid(long pid) {
    return value(pid, "TracerPid:");
  }

  private static long field(long pid, String name) {
    long kib = value(pid, name);
    return kib < 0 ? -1 : kib * 1024;
  }

  private static long value(long pid, String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
      return -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  static double mebibytes(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
