package dev.gopherscope.operator.status;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.operator.preflight.PreflightFinding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything {@link StatusAggregator} needs to compute a session's status, gathered by the
 * reconciler; the aggregation itself reads nothing from the cluster.
 *
 * @param specRefusal why the session cannot run whatever its targets (null when it can); its
 *     targets are then not even resolved
 * @param resolutionReason why no targets were found (null when they were)
 * @param resolutionFinal whether that reason cannot change by waiting (a pod name that does not exist)
 */
public record SessionObservation(
    DebugSession session,
    Instant now,
    PreflightFinding specRefusal,
    List<TargetObservation> targets,
    String resolutionReason,
    String resolutionMessage,
    boolean resolutionFinal,
    int capturesPerTarget,
    Duration timeout,
    Duration reportDeadline,
    String bucket,
    String keyPrefix) {
}
