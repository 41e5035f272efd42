package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.debuginfo.SeparateDebugInfo;
import dev.gopherscope.sidecar.delve.DelveClient;
import dev.gopherscope.sidecar.delve.DelveDiedException;
import dev.gopherscope.sidecar.delve.DelveException;
import dev.gopherscope.sidecar.delve.DelveServer;
import dev.gopherscope.sidecar.delve.DelveTypes.Breakpoint;
import dev.gopherscope.sidecar.delve.DelveTypes.Goroutine;
import dev.gopherscope.sidecar.delve.DelveTypes.LoadConfig;
import dev.gopherscope.sidecar.delve.DelveTypes.Variable;
import dev.gopherscope.sidecar.delve.DelveTypes.Version;
import dev.gopherscope.sidecar.process.TargetLiveness;
import dev.gopherscope.sidecar.process.TargetProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * dlv attached to one target, guarded by a {@link HaltWatchdog} that kills it when a halt
 * overruns. Captures borrow its client and watchdog; once the watchdog has killed dlv the
 * attachment is dead and the caller attaches again if it wants more.
 *
 * <p>Attaching halts the target while dlv loads the binary's debug info (about 0.2 to 0.7 s for
 * the demo on two cores, growing with the binary), before any capture can start. That pause is
 * measured and reported as {@link #attachPause()}; the watchdog bounds it by
 * {@link Options#attachTimeout()} (the session's {@code attachPauseBudget}), counted from starting
 * dlv. It is not charged to any capture's budget, because no capture budget can make it shorter.
 *
 * <p>Delve also loads lazily what listing goroutines and walking their stacks need: the first halt
 * after an attach cost 43 to 49 ms in Delve against 6 to 8 ms for later ones (dlv's own binary as
 * the target, 12 goroutines), more on a busy node, and the sidecar's JVM parses its first answers
 * slowly too. That cost used to land in the first capture's pause budget (issue 13: a 200 ms
 * budget overran before a single goroutine was scanned); the attach now pays it, listing one page
 * and walking its stacks while the target is halted anyway, under the attach budget.
 *
 * <p>During that first halt the attachment also removes the breakpoints Delve sets on its own
 * (on {@code runtime.fatalpanic} and the fatal-throw paths): left in, a panic would halt the
 * target under a debugger nobody watches, and if dlv were then killed their trap instructions
 * would stay in the code and turn a later crash into a bare SIGTRAP without the panic's message.
 * With them gone, and on amd64 where Delve changes nothing else in the target, ending the session
 * is a kill of dlv: no halt at all. Elsewhere Delve turns off async preemption at attach and only
 * a proper detach turns it back on, so {@link #detach()} halts once more to detach.
 */
public final class DelveAttachment implements AutoCloseable {

  /** A generous floor for detaching, which must not be cut short: a killed dlv cannot restore anything. */
  private static final Duration DETACH_ALLOWANCE = Duration.ofSeconds(2);
  /** How long a killed dlv's target is watched for a stop it cannot leave on its own. */
  private static final Duration STOP_WATCH = Duration.ofMillis(200);
  /** How long a failed attach waits for dlv to exit by itself, so that its own words say why. */
  private static final Duration DLV_EXIT_WAIT = Duration.ofMillis(500);
  /** What Delve writes over the first byte of a breakpoint's instruction on amd64. */
  static final int INT3 = 0xCC;
  private static final LoadConfig NAMES = new LoadConfig(false, 1, 64, 256, -1);
  private static final LoadConfig SCALAR = new LoadConfig(false, 0, 0, 0, 0);
  /** Goroutines listed, and stacks walked, to warm Delve up during the attach; bounded so the warm-up is. */
  private static final int WARM_UP_GOROUTINES = 32;
  private static final int WARM_UP_DEPTH = 64;
  private static final StoppedTargetRescue RESCUE = new StoppedTargetRescue(Path.of("/proc"));

  /**
   * @param attachTimeout the longest the attach may keep the target halted before dlv is killed,
   *     counted from starting dlv (so dlv's own start-up, some 10 to 30 ms, counts too)
   * @param callTimeout the longest any single call to dlv may take
   * @param debugInfo the debug info of a stripped target, laid out for dlv; empty for a binary with DWARF
   */
  public record Options(Duration attachTimeout, Duration callTimeout, Optional<SeparateDebugInfo> debugInfo) {

    public Options {
      Objects.requireNonNull(attachTimeout, "attachTimeout");
      Objects.requireNonNull(callTimeout, "callTimeout");
      Objects.requireNonNull(debugInfo, "debugInfo");
    }

    public Options(Duration attachTimeout, Duration callTimeout) {
      this(attachTimeout, callTimeout, Optional.empty());
    }

    public static Options defaults() {
      return new Options(Duration.ofSeconds(30), Duration.ofSeconds(60));
    }
  }

  private final TargetProcess target;
  private final DelveServer server;
  private final DelveClient client;
  private final HaltWatchdog watchdog;
  private final Version version;
  private final List<String> waitReasons;
  private final long goroutineListLengthAddress;
  private final TargetMemory memory;
  private final HaltOutcome attach;
  /** dlv itself, not its guard: a zombie counts as dead, since calls fail as soon as it exits. */
  private final TargetLiveness dlvLiveness;
  /** Set when the sidecar itself killed a dlv that was still alive (after a failed call). */
  private volatile boolean killedAlive;
  private volatile boolean breakpointsSet;
  private volatile HaltOutcome detached;

  private DelveAttachment(TargetProcess target, DelveServer server, DelveClient client, HaltWatchdog watchdog,
      Version version, List<String> waitReasons, long goroutineListLengthAddress, HaltOutcome attach) {
    this.target = target;
    this.server = server;
    this.dlvLiveness = TargetLiveness.of(server.pid());
    this.client = client;
    this.watchdog = watchdog;
    this.version = version;
    this.waitReasons = waitReasons;
    this.goroutineListLengthAddress = goroutineListLengthAddress;
    this.memory = new TargetMemory(target.pid());
    this.attach = attach;
  }

  /**
   * Attaches {@code dlvBinary} to {@code target}, lets the target run again, and returns.
   *
   * @throws AttachOverrunException if the attach overran {@link Options#attachTimeout()} (dlv is
   *     then killed and the target runs on)
   * @throws DelveException if neither the binary nor {@link Options#debugInfo()} has DWARF, or dlv cannot attach
   */
  public static DelveAttachment attach(Path dlvBinary, TargetProcess target, Options options) {
    if (!target.buildInfo().hasDebugInfo() && options.debugInfo().isEmpty()) {
      throw new DelveException(target.describe() + " has no DWARF debug info, so dlv cannot attach to it; "
          + "pprof captures still work");
    }
    AtomicReference<DelveServer> started = new AtomicReference<>();
    AtomicReference<DelveClient> connected = new AtomicReference<>();
    HaltWatchdog watchdog = new HaltWatchdog("pid" + target.pid(), () -> {
      DelveServer server = started.get();
      if (server != null) {
        server.close();
        RESCUE.watchInBackground(target.pid(), STOP_WATCH);
      }
      // dlv's death closes the connection; closing it here as well ends a call stalled on it even
      // if that did not (a socket left open by something else), instead of after the call timeout.
      DelveClient client = connected.get();
      if (client != null) {
        client.close();
      }
    });
    Halt halt = watchdog.begin(PauseBudget.of(options.attachTimeout(), Duration.ZERO));
    TracerWatch traced = TracerWatch.start(target.pid());
    DelveServer server = null;
    DelveClient client = null;
    Version version = null;
    List<String> waitReasons = List.of();
    long allglen = -1;
    RuntimeException failure = null;
    try {
      server = DelveServer.attach(dlvBinary, target.pid(), options.attachTimeout(),
          options.debugInfo().map(SeparateDebugInfo::dlvEnvironment).orElse(Map.of()));
      started.set(server);
      client = server.connect(options.callTimeout());
      connected.set(client);
      // Delve answers nothing until the attach has finished loading, so this also waits for that.
      version = client.version();
      for (Breakpoint own : client.listBreakpoints()) {
        client.clearBreakpoint(own.id());
      }
      waitReasons = waitReasonNames(client);
      allglen = addressOf(client, "runtime.allglen");
      warmUp(client);
      client.resumeAndConfirm();
    } catch (RuntimeException e) {
      failure = e;
    }
    long resumedAt = System.nanoTime();
    HaltOutcome attached = halt.end();
    traced.close();
    if (failure == null && !attached.released()) {
      Duration paused = traced.tracedAtNanos().isPresent()
          ? Duration.ofNanos(resumedAt - traced.tracedAtNanos().getAsLong()) : attached.paused();
      return new DelveAttachment(target, server, client, watchdog, version, waitReasons, allglen,
          new HaltOutcome(paused, false));
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      Optional<String> dlvSaid = failure == null ? Optional.empty() : server.exitReason(DLV_EXIT_WAIT);
      Optional<String> died = dlvSaid.isEmpty() ? Optional.empty() : server.diedOnItsOwn(DLV_EXIT_WAIT);
      if (died.isPresent()) {
        failure = new DelveDiedException(dlvSaid.get(), died.get(), failure);
      } else if (dlvSaid.isPresent()) {
        failure = new DelveException(dlvSaid.get(), failure);
      }
      server.close();
    }
    watchdog.close();
    if (attached.released()) {
      throw new AttachOverrunException("attaching to " + target.describe() + " kept it halted past the "
          + options.attachTimeout().toMillis() + " ms attach budget, so dlv was killed and the target runs on",
          failure);
    }
    throw failure instanceof DelveException de ? de
        : new DelveException("cannot attach to " + target.describe() + ": " + failure.getMessage(), failure);
  }

  /**
   * The runtime's own names for wait reasons, read from the target, since their numbering changes
   * between Go versions. Best effort: without them wait reasons are shown as numbers.
   */
  private static List<String> waitReasonNames(DelveClient client) {
    try {
      return client.eval("runtime.waitReasonStrings", NAMES).childrenOrEmpty().stream()
          .map(Variable::value).toList();
    } catch (DelveException e) {
      return List.of();
    }
  }

  /** Best effort: a failure here only means the first capture pays for Delve's lazy loading. */
  private static void warmUp(DelveClient client) {
    try {
      for (Goroutine g : client.listGoroutines(0, WARM_UP_GOROUTINES, List.of()).goroutinesOrEmpty()) {
        client.stacktrace(g.id(), WARM_UP_DEPTH);
      }
    } catch (DelveException e) {
      // The resume right after tells whether dlv is still usable.
    }
  }

  private static long addressOf(DelveClient client, String variable) {
    try {
      return client.eval(variable, SCALAR).addr();
    } catch (DelveException e) {
      return -1;
    }
  }

  public DelveClient client() {
    return client;
  }

  public HaltWatchdog watchdog() {
    return watchdog;
  }

  /** Delve's version and the Go version it found in the target. */
  public Version version() {
    return version;
  }

  /**
   * How long attaching kept the target halted: from dlv's first {@code PTRACE_ATTACH} (seen as the
   * target gaining a tracer) to the confirmed resume; from starting dlv if that was missed. An
   * upper bound: dlv stops the threads one by one, and sometimes loads for a while in between,
   * during which goroutines on the other threads still run.
   */
  public HaltOutcome attachPause() {
    return attach;
  }

  /** The runtime's name for a wait reason code, or {@code waitReason(N)} when unknown. */
  public String waitReasonName(long code) {
    return code >= 0 && code < waitReasons.size() && !waitReasons.get((int) code).isEmpty()
        ? waitReasons.get((int) code) : "waitReason(" + code + ")";
  }

  /**
   * The length of the runtime's goroutine list (live goroutines plus dead ones kept for reuse),
   * read from the target's memory without a halt; -1 if it cannot be read.
   */
  public long goroutineListLength() {
    return memory.readWord(goroutineListLengthAddress).orElse(-1);
  }

  /** False once dlv is gone (killed by the watchdog, exited, or detached). */
  public boolean isAlive() {
    return !watchdog.hasReleased() && server.isAlive() && detached == null;
  }

  /**
   * How dlv ended if it died on its own rather than being ended by this sidecar (its watchdog
   * included), e.g. "killed by signal 9 (killed)"; empty at once while dlv itself runs. A dead dlv's
   * guard may not have spoken yet (a call fails on the closed connection first), so that waits a little.
   */
  public Optional<String> diedOnItsOwn() {
    if (watchdog.hasReleased() || detached != null || killedAlive || !dlvLiveness.exited()) {
      return Optional.empty();
    }
    return Optional.of(server.diedOnItsOwn(DLV_EXIT_WAIT).orElse("how, its guard did not say"));
  }

  /**
   * Kills dlv now, from the calling thread: the way out when a call failed and the target may be
   * halted. The kernel detaches ptrace and the target runs on.
   */
  void kill() {
    killedAlive = !diedMeanwhile();
    server.close();
    RESCUE.watchInBackground(target.pid(), STOP_WATCH);
  }

  /**
   * Whether dlv is already dead, allowing it a few ms: a call fails on its socket as soon as its
   * last thread has closed it, a moment before the process is a zombie.
   */
  private boolean diedMeanwhile() {
    for (int i = 0; i < 5; i++) {
      if (dlvLiveness.exited()) {
        return true;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /**
   * Records that a capture has breakpoints in the target, so that ending the session detaches
   * properly, which removes them with no risk at all, instead of killing dlv and leaving that to
   * the guard (see {@link #breakpointWritten}). Call it with {@code true} right before asking Delve
   * for one (or {@link #breakpointComing} to name where it will be): the guard then knows that one
   * may be in the code before Delve answers; with {@code false} once none was set or it is removed.
   */
  void breakpointsSet(boolean set) {
    if (set) {
      breakpointComing(List.of());
    } else {
      breakpointsSet = false;
      server.noBreakpointComing();
    }
  }

  /**
   * Like {@code breakpointsSet(true)}, and names to dlv's guard the addresses Delve is about to
   * write traps to, as {@link DelveClient#findLocation} found them: a dlv that dies right after
   * writing them, before its answer reaches the sidecar, leaves none behind.
   */
  void breakpointComing(List<Long> candidates) {
    breakpointsSet = true;
    server.breakpointComing(candidates);
  }

  /**
   * Once Delve has answered the request for a breakpoint, tells dlv's guard to forget the addresses
   * named in advance that Delve did not write: all of them if it answered with a breakpoint (see
   * {@link #breakpointWritten}), those without a trap now if it refused (it may have written some
   * before it failed). After any other failure dlv may still write them, so they stay named.
   */
  void withdrawCandidates(boolean refused) {
    server.withdrawCandidates(refused ? this::holdsTrap : a -> false);
  }

  /**
   * Tells dlv's guard where Delve wrote a breakpoint's traps; call it before the target runs
   * again. Killed by the watchdog, the OOM killer or the death of this JVM, dlv would leave them in
   * the code, and the target would die of SIGTRAP at the next hit: the guard writes the original
   * bytes back before it lets the target run.
   */
  void breakpointWritten(List<Long> addresses) {
    addresses.forEach(server::breakpointWritten);
  }

  /** Tells dlv's guard that Delve has removed these traps. */
  void breakpointCleared(List<Long> addresses) {
    addresses.forEach(server::breakpointCleared);
  }

  /**
   * Which of {@code addresses} hold a trap instruction (int3) now, read from the target's memory;
   * one that cannot be read counts as a trap.
   */
  List<Long> trapsRemain(List<Long> addresses) {
    return addresses.stream().filter(this::holdsTrap).toList();
  }

  private boolean holdsTrap(long address) {
    return memory.readByte(address).orElse(INT3) == INT3;
  }

  /** Where breakpoints of ours are in the target now, as told to dlv's guard. */
  public Set<Long> breakpointAddresses() {
    return server.breakpointAddresses();
  }

  /** See {@link DelveServer#valueChanging}. */
  void valueChanging(long address, long original) {
    server.valueChanging(address, original);
  }

  /** See {@link DelveServer#valueRestored}. */
  void valueRestored(long address) {
    server.valueRestored(address);
  }

  /** Whether dlv's guard puts back a runtime value the sidecar changed if dlv or the sidecar dies. */
  public boolean guardRestoresValues() {
    return server.guardRestoresValues();
  }

  /** The 64-bit word at {@code address} in the target, read without a halt; empty if it cannot be read. */
  OptionalLong readWord(long address) {
    return memory.readWord(address);
  }

  /** Resumes a halted target and confirms it runs; if dlv cannot, kills it, and the kernel resumes it. */
  void resumeOrKill() {
    try {
      client.resumeAndConfirm();
    } catch (DelveException e) {
      kill();
    }
  }

  /** Whether dlv's guard restores the target's code if dlv dies with breakpoints set. */
  public boolean guardRestoresBreakpoints() {
    return server.guardRestoresBreakpoints();
  }

  /**
   * Ends the session, leaving the target running without a debugger, and returns the pause that
   * cost: none when killing dlv is clean (amd64, no breakpoints of ours left), otherwise the halt
   * a proper detach needs. Idempotent.
   */
  public synchronized HaltOutcome detach() {
    if (detached != null) {
      return detached;
    }
    HaltOutcome outcome = new HaltOutcome(Duration.ZERO, false);
    try {
      if (isAlive() && (breakpointsSet || !"amd64".equals(target.buildInfo().goArch()))) {
        Halt halt = watchdog.begin(PauseBudget.of(DETACH_ALLOWANCE, Duration.ZERO));
        try {
          client.detach(false);
        } catch (DelveException e) {
          kill();
        } finally {
          outcome = halt.end();
        }
      }
    } finally {
      detached = outcome;
      client.close();
      server.close();
      watchdog.close();
    }
    return outcome;
  }

  @Override
  public void close() {
    detach();
  }
}
