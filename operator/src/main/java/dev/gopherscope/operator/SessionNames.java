package dev.gopherscope.operator;

import dev.gopherscope.api.v1alpha1.DebugSession;

/**
 * Names of everything a session creates, derived from the session alone so that reconciling
 * twice, or after an operator restart, finds what the first pass made instead of making more.
 * The uid part keeps a re-created session with the same name from colliding with the exited
 * debugger container its predecessor left in the pod.
 */
public final class SessionNames {

  /** Prefix of every debugger container gopherscope injects. */
  public static final String CONTAINER_PREFIX = "gs-";
  public static final String SESSION_LABEL = "gopherscope.dev/session";
  public static final String SESSION_UID_LABEL = "gopherscope.dev/session-uid";
  public static final String POD_LABEL = "gopherscope.dev/pod";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "gopherscope";

  private SessionNames() {
  }

  /** A DNS label (at most 63 characters): {@code gs-<name>-<first 5 of uid>}. */
  public static String base(DebugSession session) {
    String name = session.getMetadata().getName().replace('.', '-');
    String uid = session.getMetadata().getUid().replace("-", "");
    String suffix = "-" + uid.substring(0, Math.min(5, uid.length()));
    int room = 63 - CONTAINER_PREFIX.length() - suffix.length();
    if (name.length() > room) {
      name = name.substring(0, room);
    }
    name = name.replaceAll("-+$", "");
    return CONTAINER_PREFIX + name + suffix;
  }

  public static String debuggerContainer(DebugSession session) {
    return base(session);
  }

  public static String serviceAccount(DebugSession session) {
    return base(session);
  }

  public static String role(DebugSession session) {
    return base(session);
  }

  /**
   * One Secret per target, {@code <base>.<pod>}: its token is bound to it, so deleting it when the
   * pod goes revokes exactly that target's token.
   */
  public static String targetSecret(DebugSession session, String pod) {
    String name = base(session) + "." + pod;
    return name.length() <= 253 ? name : name.substring(0, 253).replaceAll("[-.]+$", "");
  }

  /**
   * The session's one Secret of answers to its sidecars' requests for debug info (presigned GET
   * URLs), {@code <base>-debuginfo}: no target Secret ({@code <base>.<pod>}) can take this name.
   */
  public static String debugInfoSecret(DebugSession session) {
    return base(session) + "-debuginfo";
  }
}
