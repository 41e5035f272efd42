package dev.gopherscope.sidecar.pprofhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.sidecar.pprof.PprofLimits;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PprofHttpClientTest {

  @Test
  void readsAProfileStreamedFromTheEndpoint() {
    try (FixturePprofServer app = new FixturePprofServer()
        .serveFixture("/debug/pprof/goroutine", "goroutine-traced.pb.gz")) {
      PprofProfile profile = PprofHttpClient.onLoopback(app.port(), "/debug/pprof/").goroutines();

      assertThat(profile.total(0)).isPositive();
      assertThat(profile.string(profile.sampleTypes().get(0).type())).isEqualTo("goroutine");
    }
  }

  @Test
  void aClosedPortSaysThatTheAppDoesNotServePprofThere() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PprofHttpClient client = PprofHttpClient.onLoopback(port, "/debug/pprof");

    assertThatThrownBy(client::heap).isInstanceOf(PprofFetchException.class)
        .hasMessageStartingWith("the app does not serve pprof on 127.0.0.1:" + port + " (connection refused)");
  }

  @Test
  void aWrongPathIsA404ThatNamesThePath() {
    try (FixturePprofServer app = new FixturePprofServer()) {
      assertThatThrownBy(() -> PprofHttpClient.onLoopback(app.port(), "/pprof").heap())
          .isInstanceOf(PprofFetchException.class)
          .hasMessage("127.0.0.1:" + app.port() + " answered 404 for /pprof/heap: the app serves HTTP there but "
              + "not net/http/pprof under /pprof (is spec.pprof.path right?)");
    }
  }

  @Test
  void goErrorsAreQuoted() {
    try (FixturePprofServer app = new FixturePprofServer()
        .answer("/debug/pprof/profile", 500, "text/plain", "Could not enable CPU profiling: cpu profiling already in use\n")) {
      assertThatThrownBy(() -> PprofHttpClient.onLoopback(app.port(), "/debug/pprof").cpu(Duration.ofMillis(1500)))
          .hasMessage("127.0.0.1:" + app.port() + " answered 500 for /debug/pprof/profile?seconds=2: "
              + "Could not enable CPU profiling: cpu profiling already in use");
    }
  }

  @Test
  void anHtmlPageIsNotAProfile() {
    try (FixturePprofServer app = new FixturePprofServer()
        .answer("/debug/pprof/heap", 200, "text/html; charset=utf-8", "<html><body>login</body></html>")) {
      assertThatThrownBy(() -> PprofHttpClient.onLoopback(app.port(), "/debug/pprof").heap())
          .hasMessageContaining("/debug/pprof/heap did not return a pprof profile (it sent text/html");
    }
  }

  @Test
  void aProfileOverTheLimitIsRefusedNotFollowed() {
    try (FixturePprofServer app = new FixturePprofServer()
        .serveFixture("/debug/pprof/goroutine", "goroutine-traced.pb.gz")) {
      PprofHttpClient tight = new PprofHttpClient("127.0.0.1", app.port(), "/debug/pprof",
          PprofLimits.defaults().withMaxDecompressedBytes(100));

      assertThatThrownBy(tight::goroutines).isInstanceOf(PprofFetchException.class)
          .hasMessageContaining("larger than 100 bytes");
    }
  }

  @Test
  void cpuDurationsRoundUpToWholeSeconds() {
    assertThat(PprofHttpClient.cpuSeconds(Duration.ofMillis(1))).isEqualTo(1);
    assertThat(PprofHttpClient.cpuSeconds(Duration.ofSeconds(2))).isEqualTo(2);
    assertThat(PprofHttpClient.cpuSeconds(Duration.ofMillis(2001))).isEqualTo(3);
  }
}
