package dev.gopherscope.operator.injection;

import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.List;

/**
 * The ephemeral container a session injects into one target pod. It shares the target
 * container's process namespace ({@code targetContainerName}); it gets root with SYS_PTRACE,
 * DAC_OVERRIDE and KILL only when a capture needs Delve, and otherwise runs as a non-root user with no capability at all,
 * which satisfies the restricted Pod Security level (DESIGN invariant 5). Secrets reach it only by
 * {@code secretKeyRef}.
 */
public final class DebuggerContainerSpec {

  /** A non-root user for pprof-only sessions; the image needs no particular user. */
  static final long NON_ROOT_UID = 65532;

  private DebuggerContainerSpec() {
  }

  public static EphemeralContainer build(OperatorConfig config, String containerName, String targetContainer,
      String secretName, SidecarPlan plan) {
    return new EphemeralContainerBuilder()
        .withName(containerName)
        .withImage(config.sidecarImage())
        .withImagePullPolicy("IfNotPresent")
        .withCommand(config.sidecarCommand().isEmpty() ? null : config.sidecarCommand())
        .withArgs(config.sidecarArgs().isEmpty() ? null : config.sidecarArgs())
        .withTargetContainerName(targetContainer)
        .withEnv(List.of(
            literal(SidecarEnvironment.PLAN, planJson(plan)),
            literal(SidecarEnvironment.API_SERVER, config.sidecarApiServer().toString()),
            literal(SidecarEnvironment.DLV, config.dlvPathInImage()),
            literal(SidecarEnvironment.SPOOL_DIR, "/tmp/gopherscope"),
            fromSecret(SidecarEnvironment.TOKEN, secretName, SidecarEnvironment.TOKEN_KEY),
            fromSecret(SidecarEnvironment.UPLOADS, secretName, SidecarEnvironment.UPLOADS_KEY),
            fromSecret(SidecarEnvironment.API_CA, secretName, SidecarEnvironment.CA_KEY)))
        .withSecurityContext(securityContext(plan.needsDelve()))
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  static SecurityContext securityContext(boolean needsDelve) {
    SecurityContextBuilder context = new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
    if (needsDelve) {
      // ptrace of a process of any user needs CAP_SYS_PTRACE, which only root holds effectively.
      // The kernel checks file permissions before ptrace rights, and the target's /proc/PID/auxv
      // and /proc/PID/mem are its user's, mode 0400 and 0600: root with everything else dropped
      // cannot open them (seen on a real node: dlv fails "open /proc/1/auxv: permission denied"),
      // so dlv (reading) and dlv-guard (writing breakpoint bytes back) need DAC_OVERRIDE too. And
      // signalling another user's process needs KILL: Delve halts the target with a signal, and
      // dlv-guard resumes it with SIGCONT (seen on a real node: every halt overran without it).
      return context.withRunAsUser(0L).withRunAsNonRoot(false)
          .withNewCapabilities().withDrop("ALL").withAdd("SYS_PTRACE", "DAC_OVERRIDE", "KILL").endCapabilities()
          .build();
    }
    return context.withRunAsUser(NON_ROOT_UID).withRunAsNonRoot(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities().build();
  }

  private static EnvVar literal(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
        .withName(secret).withKey(key).withOptional(false).endSecretKeyRef().endValueFrom().build();
  }

  private static String planJson(SidecarPlan plan) {
    try {
      return ContractJson.mapper().writeValueAsString(plan);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
