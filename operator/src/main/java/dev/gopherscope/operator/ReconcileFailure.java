package dev.gopherscope.operator;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A reconcile error as a session's status says it: a CamelCase reason, a message, and whether
 * trying again can help. A request the API server refused as malformed (400, 422), or one the
 * client refused to build (an IllegalArgumentException), fails the same way every time, so the
 * session fails at once; anything else (a conflict, a 403 until RBAC is fixed, a 5xx, an API
 * server out of reach) may pass on a later attempt.
 */
record ReconcileFailure(String reason, String message, boolean permanent) {

  /** {@code e} as JOSDK hands it over: what the reconciler threw, possibly wrapped in an OperatorException. */
  static ReconcileFailure of(Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException k && k.getCode() > 0) {
        return answered(k);
      }
      if (cause instanceof IllegalArgumentException) {
        return new ReconcileFailure("ReconcileError", "the operator cannot act on this session: " + cause.getMessage(),
            true);
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return new ReconcileFailure("ReconcileError", "the operator failed: " + root, false);
  }

  private static ReconcileFailure answered(KubernetesClientException k) {
    Status status = k.getStatus();
    String reason = status == null || status.getReason() == null || status.getReason().isBlank()
        ? "ApiServerError" : status.getReason();
    String message = status == null || status.getMessage() == null ? k.getMessage() : status.getMessage();
    return new ReconcileFailure(reason, "the API server answered " + k.getCode() + " " + reason + ": " + message,
        k.getCode() == 400 || k.getCode() == 422);
  }
}
