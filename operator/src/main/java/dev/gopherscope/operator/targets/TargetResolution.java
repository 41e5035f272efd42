package dev.gopherscope.operator.targets;

import java.util.List;

/** The targets found, or why there are none: {@code reason} is a CamelCase condition reason. */
public record TargetResolution(List<ResolvedTarget> targets, String reason, String message) {

  public static TargetResolution found(List<ResolvedTarget> targets, String message) {
    return new TargetResolution(targets, "TargetsFound", message);
  }

  public static TargetResolution problem(String reason, String message) {
    return new TargetResolution(List.of(), reason, message);
  }

  public boolean ok() {
    return !targets.isEmpty();
  }
}
