package dev.gopherscope.bench;

import dev.gopherscope.sidecar.pprof.LabelMatcher;
import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.PprofEncoder;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.SampleFilter;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the sidecar does to a profile, as its own process (to compare end to end with
 * {@code go tool pprof -tagfocus ... -proto}): decode, keep the samples whose label matches, encode.
 * Usage: {@code ProfileFilterMain IN OUT key=value}.
 */
public final class ProfileFilterMain {

  private ProfileFilterMain() {
  }

  public static void main(String[] args) throws Exception {
    String[] label = args[2].split("=", 2);
    PprofProfile profile;
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      profile = new PprofDecoder().decode(in);
    }
    PprofProfile kept = new SampleFilter(LabelMatcher.any().withLabel(label[0], label[1])).apply(profile);
    try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
      PprofEncoder.write(kept, out);
    }
  }
}
