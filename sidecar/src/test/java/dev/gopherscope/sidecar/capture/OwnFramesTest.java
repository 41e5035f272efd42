package dev.gopherscope.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OwnFramesTest {

  @Test
  void skipsTheRuntimeAndTheStandardLibrary() {
    List<String> burner = List.of("crypto/internal/fips140/sha256.block", "crypto/sha256.Sum256", "main.burnCPU",
        "main.handleCPU", "net/http.HandlerFunc.ServeHTTP", "main.appMux.traced.func1.1");

    assertThat(OwnFrames.of(burner, 2)).containsExactly("main.burnCPU", "main.handleCPU");
    assertThat(OwnFrames.of(List.of("github.com/acme/shop/cart.(*Cart).Total", "sync.(*Mutex).Lock"), 5))
        .containsExactly("github.com/acme/shop/cart.(*Cart).Total");
  }

  @Test
  void fallsBackToTheInnermostFramesWhenNoneIsTheProgramsOwn() {
    assertThat(OwnFrames.of(List.of("runtime.gcBgMarkWorker", "runtime.goexit"), 1))
        .containsExactly("runtime.gcBgMarkWorker");
  }
}
