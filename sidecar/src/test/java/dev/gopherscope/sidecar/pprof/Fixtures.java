package dev.gopherscope.sidecar.pprof;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The real profiles under {@code src/test/resources/pprof/}, captured once from the demo service
 * (see the README there): what the requests were and which trace each carried.
 */
final class Fixtures {

  /** Goroutine profile: 20 idle workers and four traced requests in flight. */
  static final String GOROUTINES = "goroutine-traced.pb.gz";
  /** 1 s CPU profile while two traced /work/cpu requests burned CPU. */
  static final String CPU = "cpu-two-traces.pb.gz";

  static final String CPU_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String BLOCK_TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String SLEEP_TRACE = "a3ce929d0e0e47364bf92f3577b34da6";
  static final String FANOUT_TRACE = "5b8aa5a2d2c872e8321cf37308d69df2";
  static final String SECOND_CPU_TRACE = "c0ffee0000000000000000000000beef";

  private Fixtures() {
  }

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/pprof/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /pprof/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path path(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/pprof/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static PprofProfile decode(String name) {
    return new PprofDecoder().decode(bytes(name));
  }
}
