package dev.gopherscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The peak memory of one container on the local node as its cgroup accounts it, which is what
 * counts against the pod's limit: everything its processes use, page cache included, next to the
 * resident set alone. Samples until the container's cgroup is gone (the runtime removes it when the
 * container exits), since a removed cgroup keeps no high-water mark to read afterwards.
 */
final class ContainerMemoryWatch implements AutoCloseable {

  private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

  private final Thread thread;
  private volatile long peakBytes = -1;
  private volatile long peakRssBytes = -1;
  private volatile boolean stop;
  private volatile String cgroup;

  /** Starts watching; {@code containerId} answers the id once the container has one, else null. */
  ContainerMemoryWatch(Supplier<String> containerId) {
    thread = new Thread(() -> watch(containerId), "container-memory-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void watch(Supplier<String> containerId) {
    Path dir = null;
    while (!stop) {
      if (dir == null) {
        String id = containerId.get();
        dir = id == null ? null : find(id).orElse(null);
        cgroup = dir == null ? null : dir.toString();
      }
      if (dir != null && !sample(dir) && peakBytes >= 0) {
        return; // the container exited and its cgroup went with it
      }
      sleep();
    }
  }

  /** One reading; false when the cgroup is gone. cgroup v1 keeps a high-water mark, v2 calls it memory.peak. */
  private boolean sample(Path dir) {
    try {
      Path v1Max = dir.resolve("memory.max_usage_in_bytes");
      long usage = Files.exists(v1Max) ? Long.parseLong(Files.readString(v1Max).strip())
          : Long.parseLong(Files.readString(dir.resolve("memory.peak")).strip());
      peakBytes = Math.max(peakBytes, usage);
      for (String line : Files.readAllLines(dir.resolve("memory.stat"))) {
        // v1: total_rss (anonymous memory of the container's processes); v2: anon
        if (line.startsWith("total_rss ") || line.startsWith("anon ")) {
          peakRssBytes = Math.max(peakRssBytes, Long.parseLong(line.substring(line.indexOf(' ') + 1).strip()));
        }
      }
      return true;
    } catch (IOException | NumberFormatException gone) {
      return false;
    }
  }

  /** The container's memory cgroup, found by its id under the memory hierarchy (v1) or the unified one (v2). */
  private static Optional<Path> find(String containerId) {
    Path root = Files.isDirectory(CGROUPS.resolve("memory")) ? CGROUPS.resolve("memory") : CGROUPS;
    try (Stream<Path> dirs = Files.find(root, 6, (p, a) -> a.isDirectory() && p.getFileName().toString()
        .contains(containerId))) {
      return dirs.findFirst();
    } catch (IOException | java.io.UncheckedIOException racing) {
      return Optional.empty();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The highest usage seen, page cache included, in bytes; -1 if the cgroup was never found. */
  long peakBytes() {
    return peakBytes;
  }

  /** The highest anonymous (resident) memory seen, in bytes; -1 if never read. */
  long peakRssBytes() {
    return peakRssBytes;
  }

  /** Where it read, for the notes. */
  String cgroup() {
    return cgroup;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(2_000);
  }
}
