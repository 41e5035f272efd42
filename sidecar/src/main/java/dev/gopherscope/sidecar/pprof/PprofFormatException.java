package dev.gopherscope.sidecar.pprof;

/**
 * The bytes are not a pprof profile this sidecar will accept: malformed or truncated protobuf,
 * corrupt gzip, dangling references, or a profile larger than {@link PprofLimits} allow. The
 * message names the field and, where known, the byte offset, because it ends up in a
 * DebugSession's status where nobody can attach a debugger to find out more.
 */
public class PprofFormatException extends RuntimeException {

  public PprofFormatException(String message) {
    super(message);
  }

  public PprofFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
