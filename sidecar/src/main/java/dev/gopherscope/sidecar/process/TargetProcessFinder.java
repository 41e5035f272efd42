package dev.gopherscope.sidecar.process;

import dev.gopherscope.sidecar.process.TargetProblem.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the Go process to debug from a shared process namespace: the debug container sees the
 * target container's processes in {@code /proc}, next to its own (this JVM, dlv).
 *
 * <p>A process qualifies when it is not this JVM or one of its descendants, is not a {@code dlv}
 * (another session's, say), and its binary, opened through {@code /proc/<pid>/exe} so that the
 * target's mount namespace does not matter, has Go build info. With a name, only processes whose
 * executable's file name or {@code comm} is that name qualify. Exactly one must remain.
 */
public final class TargetProcessFinder {

  /** The kernel truncates {@code comm} to 15 bytes. */
  private static final int COMM_LENGTH = 15;
  private static final String DLV = "dlv";

  private final ProcFs proc;
  private final long selfPid;

  public TargetProcessFinder(Path procRoot, long selfPid) {
    this.proc = new ProcFs(procRoot);
    this.selfPid = selfPid;
  }

  /** A finder over this machine's {@code /proc}, excluding this JVM. */
  public static TargetProcessFinder forThisProcess() {
    return new TargetProcessFinder(Path.of("/proc"), ProcessHandle.current().pid());
  }

  /**
   * The single Go process to debug, optionally only among those named {@code processName}.
   *
   * @throws TargetProcessException with {@link Reason#NO_PROCESS}, {@link Reason#NOT_A_GO_BINARY}
   *     or {@link Reason#AMBIGUOUS_PROCESS}
   */
  public TargetProcess find(Optional<String> processName) {
    List<ProcessEntry> candidates = candidates(processName);
    List<TargetProcess> goProcesses = new ArrayList<>();
    List<String> notGo = new ArrayList<>();
    int uninspectable = 0;
    for (ProcessEntry entry : candidates) {
      Optional<TargetProcess> target;
      try {
        target = inspect(entry);
      } catch (IOException e) {
        uninspectable++; // exited meanwhile, or we may not read its binary
        continue;
      }
      if (target.isPresent()) {
        goProcesses.add(target.get());
      } else {
        notGo.add(entry.describe());
      }
    }
    String scope = processName.map(name -> " named '" + name + "'").orElse("");
    String hidden = uninspectable == 0 ? ""
        : "; " + uninspectable + " more could not be inspected (a kernel thread, or no permission to read its exe)";
    if (goProcesses.size() == 1) {
      return goProcesses.get(0);
    }
    if (goProcesses.size() > 1) {
      List<String> described = goProcesses.stream().map(TargetProcess::describe).toList();
      throw new TargetProcessException(new TargetProblem(Reason.AMBIGUOUS_PROCESS, goProcesses.size()
          + " Go processes" + scope + " qualify: " + String.join(", ", described)
          + "; name the one to debug (its executable's file name or comm)"), described);
    }
    if (!notGo.isEmpty()) {
      throw new TargetProcessException(new TargetProblem(Reason.NOT_A_GO_BINARY, "no Go process" + scope
          + " found; " + String.join(", ", notGo) + (notGo.size() == 1 ? " is" : " are")
          + " not Go binaries (no .go.buildinfo section)" + hidden), notGo);
    }
    String visible = visibleNames();
    throw new TargetProcessException(new TargetProblem(Reason.NO_PROCESS, "no process" + scope
        + " to debug" + hidden + "; visible besides the sidecar: " + (visible.isEmpty() ? "none" : visible)
        + ". Is the process namespace shared with the debug container (an ephemeral container "
        + "targeting the app container, or shareProcessNamespace)?"), List.of());
  }

  /**
   * Describes a process known by pid, checking only that it exists and is a Go binary.
   *
   * @throws TargetProcessException with {@link Reason#NO_PROCESS} or {@link Reason#NOT_A_GO_BINARY}
   */
  public TargetProcess describe(long pid) {
    ProcessEntry entry = proc.entry(pid).orElseThrow(() -> new TargetProcessException(
        new TargetProblem(Reason.NO_PROCESS, "no process with pid " + pid), List.of()));
    Optional<TargetProcess> target;
    try {
      target = inspect(entry);
    } catch (IOException e) {
      throw new TargetProcessException(new TargetProblem(Reason.NO_PROCESS, "cannot read the binary of "
          + entry.describe() + " (gone, or no permission): " + e.getMessage()), List.of(entry.describe()));
    }
    return target.orElseThrow(() -> new TargetProcessException(new TargetProblem(
        Reason.NOT_A_GO_BINARY, entry.describe() + " is not a Go binary (no .go.buildinfo section)"),
        List.of(entry.describe())));
  }

  private List<ProcessEntry> candidates(Optional<String> processName) {
    List<ProcessEntry> all = new ArrayList<>();
    try {
      for (long pid : proc.pids()) {
        proc.entry(pid).ifPresent(all::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + proc.root(), e);
    }
    Set<Long> ours = selfAndDescendants(all);
    return all.stream()
        .filter(p -> !ours.contains(p.pid()))
        .filter(p -> !p.name().equals(DLV) && !p.comm().equals(DLV))
        .filter(p -> processName.map(name -> isNamed(p, name)).orElse(true))
        .toList();
  }

  private Set<Long> selfAndDescendants(List<ProcessEntry> all) {
    Map<Long, List<Long>> children = new HashMap<>();
    for (ProcessEntry p : all) {
      children.computeIfAbsent(p.parentPid(), k -> new ArrayList<>()).add(p.pid());
    }
    Set<Long> ours = new HashSet<>();
    List<Long> pending = new ArrayList<>(List.of(selfPid));
    while (!pending.isEmpty()) {
      long pid = pending.remove(pending.size() - 1);
      if (ours.add(pid)) {
        pending.addAll(children.getOrDefault(pid, List.of()));
      }
    }
    return ours;
  }

  private static boolean isNamed(ProcessEntry p, String name) {
    String comm = name.length() > COMM_LENGTH ? name.substring(0, COMM_LENGTH) : name;
    return p.exe().map(ProcessEntry::baseName).map(name::equals).orElse(false) || p.comm().equals(comm);
  }

  /** The process as a target if its binary is Go; fails if the binary cannot be read at all. */
  private Optional<TargetProcess> inspect(ProcessEntry entry) throws IOException {
    if (entry.exe().isEmpty()) {
      throw new IOException("no exe link (a kernel thread, or no permission to inspect it)");
    }
    Optional<GoBuildInfo> buildInfo = GoBuildInfo.read(proc.exe(entry.pid()));
    long uid = entry.uids().isEmpty() ? -1 : entry.uids().get(0);
    return buildInfo.map(info -> new TargetProcess(entry.pid(), entry.exe().orElse(""), entry.comm(),
        entry.commandLine(), uid, info));
  }

  private String visibleNames() {
    return candidates(Optional.empty()).stream().limit(20).map(ProcessEntry::describe)
        .reduce((a, b) -> a + ", " + b).orElse("");
  }
}
