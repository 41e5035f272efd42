package dev.gopherscope.sidecar.pprof;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code runtime.MemStats} block that ends Go's heap profile text ({@code heap?debug=1}): the
 * runtime reads them for every such request (a stop-the-world of microseconds), no halt needed.
 *
 * @param numGc completed GC cycles since the process started
 * @param pauseNs the ring of the last 256 GC pauses (stop-the-world time per cycle, ns): cycle n's
 *     pause is at index (n + 255) % 256
 * @param heapInuse bytes in in-use spans
 * @param nextGc the heap size the next GC aims at
 */
public record MemStats(long numGc, long[] pauseNs, long heapInuse, long nextGc) {

  /** The ring's size: older pauses are overwritten. */
  public static final int PAUSE_RING = 256;

  public MemStats {
    pauseNs = pauseNs.clone();
  }

  @Override
  public long[] pauseNs() {
    return pauseNs.clone();
  }

  /**
   * Reads the block from the heap profile's text, skipping the profile itself.
   *
   * @throws PprofFormatException if the text has no MemStats block or it lacks a figure
   */
  public static MemStats read(BufferedReader lines) throws IOException {
    Map<String, String> values = new HashMap<>();
    boolean inBlock = false;
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.equals("# runtime.MemStats")) {
        inBlock = true;
      } else if (inBlock && line.startsWith("# ")) {
        int equals = line.indexOf(" = ");
        if (equals > 0) {
          values.put(line.substring(2, equals), line.substring(equals + 3));
        }
      }
    }
    if (!inBlock) {
      throw new PprofFormatException("the heap profile's text has no '# runtime.MemStats' block");
    }
    String pauses = require(values, "PauseNs");
    long[] ring = Arrays.stream(pauses.replaceAll("[\\[\\]]", " ").trim().split("\\s+"))
        .filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    if (ring.length != PAUSE_RING) {
      throw new PprofFormatException("MemStats PauseNs has " + ring.length + " entries, not " + PAUSE_RING);
    }
    return new MemStats(number(values, "NumGC"), ring, number(values, "HeapInuse"), number(values, "NextGC"));
  }

  /**
   * The pauses of the cycles after {@code earlier}'s last one, oldest first: at most the ring's
   * 256, the newest ones, when more cycles ran.
   */
  public long[] pausesSince(MemStats earlier) {
    long cycles = Math.min(numGc - earlier.numGc, PAUSE_RING);
    long[] pauses = new long[(int) Math.max(0, cycles)];
    for (int i = 0; i < pauses.length; i++) {
      long cycle = numGc - pauses.length + 1 + i;
      pauses[i] = pauseNs[(int) ((cycle + PAUSE_RING - 1) % PAUSE_RING)];
    }
    return pauses;
  }

  private static long number(Map<String, String> values, String name) {
    try {
      return Long.parseLong(require(values, name).trim());
    } catch (NumberFormatException e) {
      throw new PprofFormatException("MemStats " + name + " is not a number: " + values.get(name));
    }
  }

  private static String require(Map<String, String> values, String name) {
    String value = values.get(name);
    if (value == null) {
      throw new PprofFormatException("the MemStats block has no " + name);
    }
    return value;
  }
}
