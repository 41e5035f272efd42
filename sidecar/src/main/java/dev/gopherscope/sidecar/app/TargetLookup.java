package dev.gopherscope.sidecar.app;

import dev.gopherscope.sidecar.process.TargetProblem;
import dev.gopherscope.sidecar.process.TargetProcess;
import dev.gopherscope.sidecar.process.TargetProcessException;
import dev.gopherscope.sidecar.process.TargetProcessFinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the target process through {@link TargetProcessFinder}. A plan of pprof captures needs no
 * more than the pid for its report, because it talks to the app over HTTP: without
 * {@code CAP_SYS_PTRACE} (which such a session does not get) the binary of a process of another
 * user cannot be opened, and the finder cannot tell it is Go. Then, if exactly one process other
 * than this sidecar and its children is visible (named as the plan says, when it names one), that
 * process is the target, known by pid only. Only {@code status} and {@code comm} are read for
 * that, which {@code /proc} shows anyone.
 */
final class TargetLookup {

  /** The kernel keeps the first 15 bytes of a process's name in {@code comm}. */
  private static final int COMM_LENGTH = 15;

  private final Path procRoot;
  private final long selfPid;
  private final TargetProcessFinder finder;

  TargetLookup(Path procRoot, long selfPid) {
    this.procRoot = procRoot;
    this.selfPid = selfPid;
    this.finder = new TargetProcessFinder(procRoot, selfPid);
  }

  static TargetLookup forThisProcess() {
    return new TargetLookup(Path.of("/proc"), ProcessHandle.current().pid());
  }

  /**
   * In the pod: the one Go process sharing this container's process namespace.
   *
   * @throws TargetLookupException when there is none to capture from
   */
  TargetIdentity inPod(Optional<String> processName, boolean needsDelve) {
    try {
      return identified(finder.find(processName));
    } catch (TargetProcessException e) {
      if (!needsDelve && e.problem().reason() == TargetProblem.Reason.NO_PROCESS) {
        Optional<Long> only = onlyOtherProcess(processName);
        if (only.isPresent()) {
          return pidOnly(only.get(), e.problem().message());
        }
      }
      throw failure(e);
    }
  }

  /**
   * In local mode: the process the user named.
   *
   * @throws TargetLookupException when it cannot be captured from
   */
  TargetIdentity byPid(long pid, boolean needsDelve) {
    try {
      return identified(finder.describe(pid));
    } catch (TargetProcessException e) {
      if (!needsDelve && e.problem().reason() != TargetProblem.Reason.NO_PROCESS) {
        return pidOnly(pid, e.problem().message());
      }
      throw failure(e);
    }
  }

  private static TargetIdentity identified(TargetProcess process) {
    return new TargetIdentity(process.pid(), Optional.of(process), "");
  }

  private static TargetIdentity pidOnly(long pid, String why) {
    return new TargetIdentity(pid, Optional.empty(), "only the pid is known (" + why + "); pprof captures do not "
        + "need more");
  }

  private static TargetLookupException failure(TargetProcessException e) {
    return new TargetLookupException(reason(e.problem().reason()), e.problem().message(), e);
  }

  static String reason(TargetProblem.Reason reason) {
    return switch (reason) {
      case NO_PROCESS -> "NoProcess";
      case NOT_A_GO_BINARY -> "NotAGoProcess";
      case AMBIGUOUS_PROCESS -> "AmbiguousProcess";
      case NO_DEBUG_INFO -> "NoDebugInfo";
      case PTRACE_NOT_PERMITTED -> "PtraceNotAllowed";
    };
  }

  /** The single process besides this JVM, its descendants and any dlv, if there is exactly one. */
  private Optional<Long> onlyOtherProcess(Optional<String> processName) {
    Map<Long, Long> parents = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          read(entry.resolve("status")).flatMap(TargetLookup::parentPid)
              .ifPresent(parent -> parents.put(Long.parseLong(name), parent));
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    Set<Long> ours = new HashSet<>(List.of(selfPid));
    for (boolean grew = true; grew; ) {
      grew = false;
      for (Map.Entry<Long, Long> p : parents.entrySet()) {
        grew |= ours.contains(p.getValue()) && ours.add(p.getKey());
      }
    }
    List<Long> others = new ArrayList<>();
    for (long pid : parents.keySet()) {
      String comm = read(procRoot.resolve(Long.toString(pid)).resolve("comm")).map(String::strip).orElse("");
      boolean named = processName.map(name -> comm.equals(name.substring(0, Math.min(COMM_LENGTH, name.length()))))
          .orElse(true);
      if (!ours.contains(pid) && !comm.equals("dlv") && named) {
        others.add(pid);
      }
    }
    return others.size() == 1 ? Optional.of(others.get(0)) : Optional.empty();
  }

  private static Optional<Long> parentPid(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("PPid:")) {
        try {
          return Optional.of(Long.parseLong(line.substring("PPid:".length()).strip()));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
