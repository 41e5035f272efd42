package dev.gopherscope.operator.preflight;

import static dev.gopherscope.operator.config.MemoryQuantity.mebibytes;

import dev.gopherscope.api.v1alpha1.MemoryHeadroomCheck;
import dev.gopherscope.operator.SessionNames;
import dev.gopherscope.operator.config.OperatorConfig;
import dev.gopherscope.operator.targets.ResolvedTarget;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides, before the pod is touched, whether a session can run on a target, and if not says why
 * in words a person can act on. Checks: the namespace's Pod Security level against the capability
 * the session needs, the target's user, a debugger already attached, and memory headroom.
 */
public final class PreflightChecks {

  static final String ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

  private final OperatorConfig config;
  private final PodMemory memory;

  public PreflightChecks(OperatorConfig config, PodMemory memory) {
    this.config = config;
    this.memory = memory;
  }

  /**
   * @param needsDelve whether any capture needs dlv (and so root with SYS_PTRACE)
   * @param ownContainer this session's debugger container name (already there is not a conflict)
   */
  public List<PreflightFinding> check(ResolvedTarget target, Namespace namespace, boolean needsDelve,
      String ownContainer, MemoryHeadroomCheck headroomCheck) {
    List<PreflightFinding> findings = new ArrayList<>();
    Pod pod = target.pod();
    String level = podSecurityLevel(namespace);
    if (needsDelve && !"privileged".equals(level)) {
      findings.add(PreflightFinding.refuse("PodSecurityForbidsPtrace", "namespace "
          + namespace.getMetadata().getName() + " enforces Pod Security level '" + level
          + "', which forbids the SYS_PTRACE capability Delve needs; use captures that read the app's pprof "
          + "endpoint (set spec.pprof, source Pprof) or run in a namespace labelled " + ENFORCE_LABEL + "=privileged"));
    }
    if (needsDelve && runsAsNonRoot(pod)) {
      findings.add(PreflightFinding.refuse("RunAsNonRootForbidsDebugger", "pod " + pod.getMetadata().getName()
          + " requires runAsNonRoot, but attaching Delve needs a root container with SYS_PTRACE; use "
          + "captures that read the app's pprof endpoint (they run as non-root with no capability)"));
    }
    if (needsDelve) {
      otherDebugger(pod, ownContainer).ifPresent(other -> findings.add(PreflightFinding.refuse(
          "DebuggerAlreadyAttached", "debugger container " + other + " of another session is still running in pod "
              + pod.getMetadata().getName() + " and a process can have only one debugger; wait for that "
              + "session to finish or use pprof-based captures")));
    }
    headroom(pod, needsDelve, headroomCheck).ifPresent(findings::add);
    return findings;
  }

  private String podSecurityLevel(Namespace namespace) {
    String level = namespace.getMetadata().getLabels() == null ? null
        : namespace.getMetadata().getLabels().get(ENFORCE_LABEL);
    return level == null ? config.defaultPodSecurityLevel() : level;
  }

  /**
   * The pod's author declared that nothing in it runs as root. A container-level override could
   * start the debugger as root anyway, but that would grant more than the pod's own spec does, so
   * gopherscope refuses instead.
   */
  private static boolean runsAsNonRoot(Pod pod) {
    PodSecurityContext podContext = pod.getSpec().getSecurityContext();
    return podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
  }

  private static Optional<String> otherDebugger(Pod pod, String ownContainer) {
    if (pod.getStatus() == null || pod.getStatus().getEphemeralContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getEphemeralContainerStatuses().stream()
        .filter(s -> s.getName().startsWith(SessionNames.CONTAINER_PREFIX) && !s.getName().equals(ownContainer))
        .filter(s -> s.getState() != null && s.getState().getRunning() != null)
        .map(ContainerStatus::getName)
        .findFirst();
  }

  private Optional<PreflightFinding> headroom(Pod pod, boolean needsDelve, MemoryHeadroomCheck check) {
    OptionalLong limit = PodMemory.limit(pod);
    if (limit.isEmpty()) {
      return Optional.empty();
    }
    long needed = config.sidecarMemoryBytes() + (needsDelve ? config.dlvMemoryBytes() : 0);
    PodMemory.Usage usage = memory.usage(pod);
    long free = limit.getAsLong() - usage.bytes();
    if (free >= needed) {
      return Optional.empty();
    }
    String message = "pod " + pod.getMetadata().getName() + " has a memory limit of " + mebibytes(limit.getAsLong())
        + " and uses " + mebibytes(usage.bytes()) + (usage.measured() ? "" : " (its requests: no metrics API)")
        + ", leaving " + mebibytes(Math.max(free, 0)) + "; the debugger needs about " + mebibytes(needed)
        + (needsDelve ? " (sidecar " + mebibytes(config.sidecarMemoryBytes()) + " + dlv "
            + mebibytes(config.dlvMemoryBytes()) + ")" : " (sidecar only, no dlv)")
        + " inside that limit, and the app could be OOM-killed";
    return Optional.of(check == MemoryHeadroomCheck.Warn
        ? PreflightFinding.warn("LowMemoryHeadroom", message + "; injecting anyway (memoryHeadroomCheck: Warn)")
        : PreflightFinding.refuse("InsufficientMemoryHeadroom",
            message + "; raise the limit or set spec.memoryHeadroomCheck: Warn to accept the risk"));
  }
}
