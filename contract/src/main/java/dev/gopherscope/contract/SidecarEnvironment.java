package dev.gopherscope.contract;

/**
 * How the operator hands a session to the injected sidecar: environment variables in the
 * ephemeral container, and keys of the per-session Secret they reference. Secrets never appear
 * literally in the pod spec (DESIGN invariant 4): only {@code secretKeyRef}s to these keys.
 */
public final class SidecarEnvironment {

  /** The {@link SidecarPlan} as JSON; not secret. */
  public static final String PLAN = "GOPHERSCOPE_PLAN";
  /** Base URL of the Kubernetes API server the sidecar reports to. */
  public static final String API_SERVER = "GOPHERSCOPE_API_SERVER";
  /** PEM of the CA that signs the API server's certificate (from the Secret). */
  public static final String API_CA = "GOPHERSCOPE_API_CA";
  /**
   * A short-lived token for the session's ServiceAccount, allowed only to patch this session's
   * status, and bound to the target's Secret: deleting the Secret (the session, or the pod's
   * departure) revokes it.
   */
  public static final String TOKEN = "GOPHERSCOPE_TOKEN";
  /** JSON object: planned artifact name to presigned PUT URL (from the Secret). */
  public static final String UPLOADS = "GOPHERSCOPE_UPLOADS";
  /** Path of the dlv binary inside the sidecar image. */
  public static final String DLV = "GOPHERSCOPE_DLV";
  /** Where artifacts are spooled before upload. */
  public static final String SPOOL_DIR = "GOPHERSCOPE_SPOOL_DIR";

  /** Keys of the per-target Secret. */
  public static final String CA_KEY = "ca.crt";
  public static final String TOKEN_KEY = "token";
  public static final String UPLOADS_KEY = "uploads";

  private SidecarEnvironment() {
  }

  /** The field manager a sidecar uses for server-side apply of its own target entry. */
  public static String fieldManager(String pod) {
    String manager = "gopherscope-sidecar-" + pod;
    return manager.length() <= 128 ? manager : manager.substring(0, 128);
  }
}
