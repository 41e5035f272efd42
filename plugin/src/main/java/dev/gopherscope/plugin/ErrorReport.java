package dev.gopherscope.plugin;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.stream.Collectors;

/** Any failure as one line a person can act on. */
final class ErrorReport {

  private ErrorReport() {
  }

  static String describe(Throwable e) {
    if (e instanceof UserError) {
      return oneLine(e.getMessage());
    }
    // fabric8 wraps a failed request in exceptions without a status; the innermost one with an
    // HTTP code says what the API server answered.
    KubernetesClientException k = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException c && (k == null || c.getCode() > 0)) {
        k = c;
      }
    }
    if (k != null) {
      return kubernetes(k);
    }
    return oneLine(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
  }

  private static String kubernetes(KubernetesClientException e) {
    Status status = e.getStatus();
    String message = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
    return switch (e.getCode()) {
      case 403 -> "no permission: " + oneLine(message);
      case 401 -> "the API server did not accept your credentials (401 Unauthorized); check your kubeconfig's user";
      case 404 -> notFound(e, status, message);
      case 409 -> "already exists: " + oneLine(message) + " (pick another --name)";
      case 422 -> "the API server refused the session: " + invalid(status, message);
      default -> e.getCode() <= 0 ? unreachable(e) : "the API server answered " + e.getCode() + ": " + oneLine(message);
    };
  }

  private static String notFound(KubernetesClientException e, Status status, String message) {
    String kind = status != null && status.getDetails() != null ? status.getDetails().getKind() : null;
    String name = status != null && status.getDetails() != null ? status.getDetails().getName() : null;
    if ("namespaces".equals(kind)) {
      return "no namespace " + name;
    }
    if ("debugsessions".equals(e.getResourcePlural()) && (name == null || name.isEmpty())) {
      return Sessions.NOT_INSTALLED;
    }
    return "not found: " + oneLine(message);
  }

  private static String invalid(Status status, String message) {
    if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null
        && !status.getDetails().getCauses().isEmpty()) {
      return status.getDetails().getCauses().stream().map(ErrorReport::cause).collect(Collectors.joining("; "));
    }
    return oneLine(message);
  }

  private static String cause(StatusCause cause) {
    return (cause.getField() == null ? "" : cause.getField() + ": ") + oneLine(cause.getMessage());
  }

  private static String unreachable(KubernetesClientException e) {
    Throwable cause = find(e, ConnectException.class);
    if (cause == null) {
      cause = find(e, UnknownHostException.class);
    }
    if (cause != null) {
      return "cannot reach the API server: " + oneLine(cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return "the request to the API server failed: " + oneLine(e.getMessage())
        + (root == e ? "" : " (" + oneLine(root.getClass().getSimpleName()
            + (root.getMessage() == null ? "" : ": " + root.getMessage())) + ")");
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
