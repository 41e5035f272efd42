package dev.gopherscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a process started, on the wall clock, to about 10 ms: its start time in clock ticks since
 * boot (/proc/PID/stat) added to the boot instant derived from /proc/uptime. The JDK's
 * {@code ProcessHandle.Info.startInstant()} uses the boot time of /proc/stat, which is in whole
 * seconds, so it can be off by up to a second: too coarse to time a JVM's start.
 */
final class ProcessStart {

  /** USER_HZ, 100 on every Linux this runs on. */
  private static final long TICKS_PER_SECOND = 100;

  private ProcessStart() {
  }

  static Optional<Instant> of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long startTicks = Long.parseLong(fields[19]); // field 22 of stat: starttime
      Instant now = Instant.now();
      double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
      Instant boot = now.minus(Duration.ofNanos((long) (uptime * 1e9)));
      return Optional.of(boot.plus(Duration.ofNanos(startTicks * (1_000_000_000L / TICKS_PER_SECOND))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
