package dev.gopherscope.sidecar.delve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A headless {@code dlv attach} on 127.0.0.1 only, tied to this JVM's life.
 *
 * <p>DESIGN invariant 1: a halted target must never outlive its sidecar. dlv keeps a target halted
 * forever once its client is gone, and only its death makes the kernel detach ptrace. Its death is
 * not always enough: a dlv killed between PTRACE_ATTACH's SIGSTOP and its consumption leaves the
 * target in group-stop (measured: SidecarKillFaultIT, about one kill in fifty). So dlv runs under
 * {@code dlv-guard} (sidecar/dlv-guard), shipped next to dlv: the guard dies with this JVM even by
 * SIGKILL (its death signal), kills dlv, and sends the target SIGCONT once dlv is gone; when dlv
 * dies first, the guard resumes the target too. Without a guard, dlv runs under {@code setpriv
 * --pdeathsig KILL}, which covers everything but that stopped-target case. The death signal fires
 * when the <em>thread</em> that started the child exits, so the child is started from a dedicated
 * thread that lives exactly as long as dlv.
 *
 * <p>A breakpoint outlives a dlv that dies: its trap instruction stays in the target's code, and
 * the target dies of SIGTRAP at the next hit. So the guard is told, as lines on its stdin, that a
 * breakpoint is coming ({@link #breakpointComing}), its address while the target is still halted
 * after setting it ({@link #breakpointWritten}), and its removal ({@link #breakpointCleared}); the
 * addresses Delve will write to are named before it writes them, as far as a lookup can tell. While any is set, a guard told
 * to end dlv (by {@link #close()} or this JVM's death) writes the original bytes back and has dlv
 * detach before it kills it; when dlv dies first (SIGKILLed, OOM-killed), the guard writes them
 * back as soon as dlv's first thread exits, which a goroutine reaching the breakpoint while dlv
 * dies can still beat: see sidecar/dlv-guard/traps.go.
 *
 * <p>A runtime variable the sidecar changes for a capture (a profiling rate) would likewise stay
 * changed: it is named to the guard with the value to put back before Delve changes it
 * ({@link #valueChanging}), and forgotten once Delve has put it back ({@link #valueRestored}); the
 * guard writes what is still named back whenever it ends dlv or dlv dies (sidecar/dlv-guard/values.go).
 */
public final class DelveServer implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("API server listening at: (\\S+):(\\d+)");
  private static final Pattern GUARDED = Pattern.compile("dlv-guard: dlv pid (\\d+)");
  private static final Pattern DIED_ON_ITS_OWN = Pattern.compile("dlv-guard: dlv exited on its own: (.+)");
  /** What a guard that reads breakpoint lines says before dlv listens; an older one would not read them. */
  private static final String RESTORES = "dlv-guard: restores breakpoints named on stdin";
  /** What a guard that reads runtime value lines says before dlv listens. */
  private static final String RESTORES_VALUES = "dlv-guard: restores runtime values named on stdin";
  static final String GUARD = "dlv-guard";
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private final Process process;
  /** Reads dlv's output and ends once dlv (or its guard) has exited and every line is read. */
  private final Thread owner;
  private final long dlvPid;
  private final String host;
  private final int port;
  private final List<String> output;
  private final boolean guardRestores;
  private final boolean guardRestoresValues;
  private final Set<Long> breakpoints = ConcurrentHashMap.newKeySet();
  /** Addresses named to the guard before Delve was asked to write a breakpoint there. */
  private final Set<Long> announced = ConcurrentHashMap.newKeySet();

  private DelveServer(Process process, long dlvPid, String host, int port, List<String> output, Thread owner) {
    this.process = process;
    this.owner = owner;
    this.dlvPid = dlvPid;
    this.host = host;
    this.port = port;
    this.output = output;
    this.guardRestores = output.contains(RESTORES);
    this.guardRestoresValues = output.contains(RESTORES_VALUES);
  }

  /** Attaches {@code dlv} to {@code pid} and waits until its API server listens. */
  public static DelveServer attach(Path dlvBinary, long pid, Duration startupTimeout) {
    return attach(dlvBinary, pid, startupTimeout, Map.of());
  }

  /**
   * Attaches {@code dlv} to {@code pid}, with {@code environment} added to dlv's (where it finds
   * separate debug info), and waits until its API server listens.
   */
  public static DelveServer attach(Path dlvBinary, long pid, Duration startupTimeout, Map<String, String> environment) {
    List<String> command = new ArrayList<>();
    Path guard = dlvBinary.resolveSibling(GUARD);
    if (Files.isExecutable(guard)) {
      command.addAll(List.of(guard.toString(), String.valueOf(pid)));
    } else if (Files.isExecutable(SETPRIV)) {
      command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
    }
    command.addAll(List.of(dlvBinary.toString(), "attach", String.valueOf(pid),
        "--headless", "--api-version=2", "--accept-multiclient", "--listen=127.0.0.1:0",
        "--only-same-user=false"));

    CompletableFuture<Process> started = new CompletableFuture<>();
    CompletableFuture<Matcher> listening = new CompletableFuture<>();
    CompletableFuture<Long> dlvPid = new CompletableFuture<>();
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread owner = new Thread(() -> runOwned(command, environment, started, listening, dlvPid, output),
        "dlv-owner-" + pid);
    owner.setDaemon(true);
    owner.start();

    Process process;
    try {
      process = started.get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
      Matcher address = listening.get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new DelveServer(process, dlvPid.getNow(process.pid()), address.group(1),
          Integer.parseInt(address.group(2)), output, owner);
    } catch (TimeoutException e) {
      started.thenAccept(Process::destroyForcibly);
      throw new DelveException("dlv did not start listening within " + startupTimeout.toMillis()
          + " ms; its output: " + String.join(" | ", output));
    } catch (ExecutionException e) {
      throw new DelveException(explainFailure(output), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.thenAccept(Process::destroyForcibly);
      throw new DelveException("interrupted while starting dlv", e);
    }
  }

  private static void runOwned(List<String> command, Map<String, String> environment, CompletableFuture<Process> started,
      CompletableFuture<Matcher> listening, CompletableFuture<Long> dlvPid, List<String> output) {
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      started.completeExceptionally(e);
      listening.completeExceptionally(e);
      return;
    }
    started.complete(process);
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        // dlv's own output is capped; the guard's few lines are always kept, since they say how dlv ended.
        if (output.size() < 200 || line.startsWith(GUARD + ": ")) {
          output.add(line);
        }
        Matcher guarded = GUARDED.matcher(line);
        if (guarded.find()) {
          dlvPid.complete(Long.parseLong(guarded.group(1)));
        }
        Matcher matcher = LISTENING.matcher(line);
        if (!listening.isDone() && matcher.find()) {
          listening.complete(matcher);
        }
      }
      process.waitFor();
    } catch (IOException e) {
      // dlv's output closed: it is exiting; waitFor below tells.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    listening.completeExceptionally(new DelveException("dlv exited"));
  }

  /**
   * Why dlv exited on its own, in its own words made actionable, if it exits within {@code wait};
   * empty while it runs. dlv listens before it attaches, so a failed attach shows up first as a
   * lost connection, which says nothing of the cause.
   */
  public Optional<String> exitReason(Duration wait) {
    if (!exitedAndRead(wait)) {
      return Optional.empty();
    }
    synchronized (output) {
      return Optional.of(explainFailure(List.copyOf(output)));
    }
  }

  /**
   * How dlv ended if it died under this sidecar on its own (SIGKILLed from the node, OOM-killed), as
   * its guard saw it, e.g. "killed by signal 9 (killed)"; empty while it runs, when this sidecar
   * ended it, or without a guard. Waits up to {@code wait} for the guard, which says so only after
   * dlv is gone and exits once it has resumed the target.
   */
  public Optional<String> diedOnItsOwn(Duration wait) {
    if (!exitedAndRead(wait)) {
      return Optional.empty();
    }
    synchronized (output) {
      return output.stream().map(DIED_ON_ITS_OWN::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst();
    }
  }

  /** Waits up to {@code wait} for dlv (or its guard) to exit and for its last line to be read. */
  private boolean exitedAndRead(Duration wait) {
    try {
      owner.join(Math.max(1, wait.toMillis())); // join(0) would wait forever
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !owner.isAlive();
  }

  /** Turns dlv's own words into a reason a person can act on. */
  static String explainFailure(List<String> output) {
    String all = String.join(" | ", output);
    Optional<String> died = output.stream().map(DIED_ON_ITS_OWN::matcher).filter(Matcher::find).map(m -> m.group(1))
        .findFirst();
    if (died.isPresent()) {
      return "dlv exited on its own (" + died.get() + ") while attaching, by no hand of the sidecar's (the OOM "
          + "killer, or someone on the node); its guard resumed the target: " + all;
    }
    if (all.contains("auxv: permission denied") || all.contains("/mem: permission denied")) {
      return "dlv may not open the target's /proc files: the target runs as another user and the debug "
          + "container lacks CAP_DAC_OVERRIDE (the kernel checks file permissions before ptrace rights): " + all;
    }
    if (all.contains("operation not permitted")) {
      return "dlv may not ptrace the target (the container needs CAP_SYS_PTRACE and a ptrace_scope "
          + "that allows it): " + all;
    }
    if (all.contains("could not open debug info") || all.contains("no debug info")) {
      return "the target binary has no DWARF debug info (built with -ldflags=-w?), so dlv cannot read it: " + all;
    }
    if (all.contains("is too old for this version of Delve") || all.contains("Version of Delve is too old")) {
      return "this dlv does not support the target's Go version (the sidecar image's dlv must match it; "
          + "pprof captures still work): " + all;
    }
    if (all.contains("no such process")) {
      return "the target process is gone: " + all;
    }
    return "dlv exited before listening: " + all;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The pid of dlv itself (not of its guard). */
  public long pid() {
    return dlvPid;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Tells the guard that Delve is about to write a breakpoint, at {@code candidates} if known (what
   * {@link DelveClient#findLocation} found): the guard learns those before Delve writes anything, so
   * a dlv SIGKILLed between writing the traps and the sidecar learning where loses none. Naming an
   * address early is harmless, as the guard restores only where the byte is a trap. Until
   * {@link #breakpointWritten} names one, a guard told to end dlv also has dlv detach, which
   * removes any the candidates missed.
   */
  public void breakpointComing(Collection<Long> candidates) {
    for (long address : candidates) {
      if (!breakpoints.contains(address) && announced.add(address)) {
        tellGuard("bp " + Long.toHexString(address));
      }
    }
    tellGuard("setting");
  }

  /**
   * Tells the guard that no breakpoint came of the last {@link #breakpointComing}, or it is removed.
   * Addresses named in advance stay named until {@link #withdrawCandidates}.
   */
  public void noBreakpointComing() {
    tellGuard("none");
  }

  /**
   * Tells the guard that Delve has written a breakpoint at {@code address}; call it while the
   * target is still halted after setting it, so that no goroutine can have reached it before the
   * guard knows. Without a guard that restores breakpoints, only remembers it.
   */
  public void breakpointWritten(long address) {
    announced.remove(address);
    breakpoints.add(address);
    tellGuard("bp " + Long.toHexString(address));
  }

  /**
   * Tells the guard to forget the addresses named in advance by {@link #breakpointComing} and not
   * written since, except those {@code keep} accepts: call it once Delve has answered.
   */
  public void withdrawCandidates(Predicate<Long> keep) {
    for (Long address : List.copyOf(announced)) {
      if (!keep.test(address)) {
        announced.remove(address);
        if (!breakpoints.contains(address)) {
          tellGuard("clear " + Long.toHexString(address));
        }
      }
    }
  }

  /** Tells the guard that Delve has removed the breakpoint at {@code address}. */
  public void breakpointCleared(long address) {
    if (breakpoints.remove(address)) {
      tellGuard("clear " + Long.toHexString(address));
    }
  }

  /** The addresses of the breakpoints Delve has written and not yet removed, as told to the guard. */
  public Set<Long> breakpointAddresses() {
    return Set.copyOf(breakpoints);
  }

  /** Whether the guard puts back the breakpoints it was told of when dlv dies. */
  public boolean guardRestoresBreakpoints() {
    return guardRestores;
  }

  /**
   * Tells the guard that the 64-bit word at {@code address} is about to change and must be set back
   * to {@code original} if dlv or this JVM dies before {@link #valueRestored}. Call it before asking
   * Delve to change it: writing back a value that never changed does no harm.
   */
  public void valueChanging(long address, long original) {
    if (guardRestoresValues) {
      writeToGuard("value " + Long.toHexString(address) + " " + Long.toHexString(original));
    }
  }

  /** Tells the guard that the value at {@code address} is back as it was. */
  public void valueRestored(long address) {
    if (guardRestoresValues) {
      writeToGuard("unvalue " + Long.toHexString(address));
    }
  }

  /** Whether the guard puts back the runtime values it was told of when dlv or this JVM dies. */
  public boolean guardRestoresValues() {
    return guardRestoresValues;
  }

  private void tellGuard(String line) {
    if (guardRestores) {
      writeToGuard(line);
    }
  }

  private void writeToGuard(String line) {
    OutputStream toGuard = process.getOutputStream();
    synchronized (toGuard) {
      try {
        toGuard.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        toGuard.flush();
      } catch (IOException e) {
        // The guard is gone, and dlv with it: it has done all it could for the target.
      }
    }
  }

  /** A new client connection to this server. */
  public DelveClient connect(Duration callTimeout) {
    return DelveClient.connect(host, port, callTimeout);
  }

  /**
   * Kills dlv (and so detaches from the target, which runs on). SIGTERM lets the guard kill dlv
   * and resume the target (with breakpoints set, it first gives dlv up to 0.8 s to detach); SIGKILL
   * follows if it does not exit within 2 s.
   */
  @Override
  public void close() {
    if (dlvPid == process.pid()) {
      // No guard: dlv itself, which must not get the chance to act on a SIGTERM.
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    try {
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
