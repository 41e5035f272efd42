package dev.gopherscope.sidecar.process;

import java.util.Objects;

/**
 * Why the sidecar cannot (or may not be able to) debug a target, in words a person can act on.
 *
 * @param reason what kind of problem
 * @param message what was found and what to do about it
 */
public record TargetProblem(Reason reason, String message) {

  public TargetProblem {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  public enum Reason {
    /** No process to debug is visible (or none with the requested name). */
    NO_PROCESS,
    /** The candidate processes are not Go binaries. */
    NOT_A_GO_BINARY,
    /** More than one Go process qualifies and none was named. */
    AMBIGUOUS_PROCESS,
    /** The binary is stripped of DWARF: Delve cannot work, pprof captures still can. */
    NO_DEBUG_INFO,
    /** By our reading of the kernel's rules dlv will be refused ptrace; LSMs may still differ. */
    PTRACE_NOT_PERMITTED;

    /** An advisory problem is our prediction; only the attach itself can tell for sure. */
    public boolean advisory() {
      return this == PTRACE_NOT_PERMITTED;
    }
  }
}
