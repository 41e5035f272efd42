package dev.gopherscope.sidecar.pprofhttp;

/** The app serves net/http/pprof, but not the profile asked for: its Go program has no such profile. */
public final class ProfileNotServedException extends RuntimeException {

  public ProfileNotServedException(String message) {
    super(message);
  }
}
