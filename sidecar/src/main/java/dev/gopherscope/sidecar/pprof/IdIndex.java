package dev.gopherscope.sidecar.pprof;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each id of a profile's locations, functions or mappings sits in its list. Writers number
 * ids 1..n (Go does), so an array indexed by id is the common case and costs one load per
 * lookup; a profile with sparse ids falls back to a map.
 *
 * <p>Items say their id through {@link Identified} rather than an accessor passed as a lambda:
 * a session's first profile runs on a cold JVM, where each lambda's bootstrap costs more than the
 * indexing itself.
 */
final class IdIndex {

  static final int ABSENT = -1;

  private final int[] dense;
  private final Map<Long, Integer> sparse;

  private IdIndex(int[] dense, Map<Long, Integer> sparse) {
    this.dense = dense;
    this.sparse = sparse;
  }

  /** A location, function or mapping: something a profile refers to by id. */
  interface Identified {
    long id();
  }

  /**
   * Indexes {@code items} by id.
   *
   * @throws PprofFormatException if an id is 0 (reserved) or appears twice
   */
  static IdIndex of(List<? extends Identified> items, String what) {
    long maxId = 0;
    for (Identified item : items) {
      long itemId = item.id();
      if (Long.compareUnsigned(itemId, maxId) > 0) {
        maxId = itemId;
      }
    }
    boolean useDense = Long.compareUnsigned(maxId, 2L * items.size() + 16) <= 0;
    int[] dense = useDense ? new int[(int) maxId + 1] : null;
    Map<Long, Integer> sparse = useDense ? null : new HashMap<>(items.size() * 2);
    if (useDense) {
      Arrays.fill(dense, ABSENT);
    }
    for (int i = 0; i < items.size(); i++) {
      long itemId = items.get(i).id();
      if (itemId == 0) {
        throw new PprofFormatException(what + " #" + i + " has the reserved id 0");
      }
      boolean duplicate = useDense ? dense[(int) itemId] != ABSENT : sparse.containsKey(itemId);
      if (duplicate) {
        throw new PprofFormatException("two " + what + "s have the id " + Long.toUnsignedString(itemId));
      }
      if (useDense) {
        dense[(int) itemId] = i;
      } else {
        sparse.put(itemId, i);
      }
    }
    return new IdIndex(dense, sparse);
  }

  /** The position of {@code id}, or {@link #ABSENT}. */
  int positionOf(long id) {
    if (dense != null) {
      return id >= 0 && id < dense.length ? dense[(int) id] : ABSENT;
    }
    Integer position = sparse.get(id);
    return position == null ? ABSENT : position;
  }
}
