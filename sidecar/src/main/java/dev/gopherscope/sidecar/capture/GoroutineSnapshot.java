package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.StackGroups;

/**
 * One look at the target's goroutines, from either source, already filtered and redacted.
 *
 * @param groups the matching goroutines grouped by stack
 * @param goroutines goroutines in the process (for Delve: the runtime's list length, an upper bound)
 * @param matched goroutines that matched the session's filter
 * @param profile the filtered goroutine profile, for the {@code .pb.gz}; null from Delve
 * @param pausedMs how long taking it halted the target
 * @param budgetExceeded whether a halt overran the pause budget (the watchdog killed dlv)
 * @param note what a reader should know about it (a partial scan, say); empty if nothing
 */
record GoroutineSnapshot(StackGroups groups, long goroutines, long matched, PprofProfile profile, double pausedMs,
    boolean budgetExceeded, String note) {
}
