package dev.gopherscope.contract;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where debug info for stripped Go binaries is published, keyed by build ID as debuginfod and
 * Parca key it: {@code debuginfo/<build-id>/debuginfo} in the operator's bucket, holding the
 * unstripped binary or its split debug info ({@code objcopy --only-keep-debug}). The build ID is the
 * GNU one ({@code .note.gnu.build-id}, 40 hex digits; Go 1.24+ writes it by default) or, for
 * binaries without it, Go's own ({@code go tool buildid}). Shared by the sidecar, which asks for a
 * build ID, and the operator, which answers; docs/debug-info.md tells users how to publish.
 */
public final class PublishedDebugInfo {

  public static final String PREFIX = "debuginfo/";
  /** How the operator says nothing is published, in place of a URL: this, then the object's s3:// URI. */
  public static final String ABSENT = "absent ";

  private static final Pattern GNU = Pattern.compile("[0-9a-f]{8,128}");
  /** Go's build ID: up to four base64url parts separated by slashes. */
  private static final Pattern GO = Pattern.compile("[A-Za-z0-9_-]{1,64}(/[A-Za-z0-9_-]{1,64}){0,3}");

  private PublishedDebugInfo() {
  }

  /**
   * A build ID as it may appear in an object key, or empty: the sidecar's report is written from
   * inside the target's pod, so the operator takes nothing from it that could steer the key.
   */
  public static Optional<String> validBuildId(String buildId) {
    return buildId != null && (GNU.matcher(buildId).matches() || GO.matcher(buildId).matches())
        ? Optional.of(buildId) : Optional.empty();
  }

  /** The object key of {@code buildId}'s debug info. */
  public static String objectKey(String buildId) {
    return PREFIX + buildId + "/debuginfo";
  }

  /** The Secret key that answers for {@code buildId} (Secret keys allow no slash). */
  public static String secretKey(String buildId) {
    return buildId.replace('/', '.');
  }
}
