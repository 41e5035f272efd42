package dev.gopherscope.sidecar.capture;

import java.util.List;

/**
 * The frames of a stack that belong to the program itself, not to the runtime or the standard
 * library: where a person starts reading. A Go function's package path starts with a domain
 * ({@code github.com/...}) or is {@code main}; the standard library's never has a dot in its first
 * element ({@code net/http}, {@code crypto/internal/fips140/sha256}).
 */
final class OwnFrames {

  private OwnFrames() {
  }

  /** The innermost {@code max} own frames, or the innermost {@code max} of all when none is the program's. */
  static List<String> of(List<String> functions, int max) {
    List<String> own = functions.stream().filter(OwnFrames::isOwnCode).limit(max).toList();
    return own.isEmpty() ? functions.stream().limit(max).toList() : own;
  }

  static boolean isOwnCode(String function) {
    if (function.startsWith("main.")) {
      return true;
    }
    int slash = function.indexOf('/');
    String first = slash < 0 ? function.substring(0, Math.max(0, function.indexOf('.'))) : function.substring(0, slash);
    return first.contains(".");
  }
}
