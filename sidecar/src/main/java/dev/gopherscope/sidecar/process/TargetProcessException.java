package dev.gopherscope.sidecar.process;

import java.util.List;

/** No single Go process could be chosen as the target; {@link #problem()} says why. */
public final class TargetProcessException extends RuntimeException {

  private final transient TargetProblem problem;
  private final List<String> candidates;

  TargetProcessException(TargetProblem problem, List<String> candidates) {
    super(problem.reason() + ": " + problem.message());
    this.problem = problem;
    this.candidates = List.copyOf(candidates);
  }

  public TargetProblem problem() {
    return problem;
  }

  /** The processes that were considered, each as {@code name (pid N, ...)}. */
  public List<String> candidates() {
    return candidates;
  }
}
