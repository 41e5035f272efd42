package dev.gopherscope.sidecar.pprof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GoroutineDumpTest {

  @Test
  void readsIdsStatesAndFunctionsOfARealDump() throws IOException {
    List<GoroutineDump.Goroutine> dump = GoroutineDump.read(reader(new String(
        Fixtures.bytes("goroutine-two-traces.debug2.txt"), StandardCharsets.UTF_8)));
    Map<Long, GoroutineDump.Goroutine> byId = dump.stream()
        .collect(Collectors.toMap(GoroutineDump.Goroutine::id, Function.identity()));

    assertThat(dump).hasSize(16);
    assertThat(byId.get(29L).state()).isEqualTo("runnable");
    assertThat(byId.get(29L).functions()).startsWith("crypto/sha256.Sum256", "main.burnCPU", "main.handleCPU")
        .endsWith("net/http.(*conn).serve").doesNotContain("net/http.(*Server).Serve");
    assertThat(byId.get(30L).state()).isEqualTo("chan receive");
    assertThat(byId.get(30L).functions()).isEqualTo(byId.get(34L).functions());
    assertThat(byId.get(1L).state()).isEqualTo("select, 8 minutes");
    assertThat(byId.get(28L).functions()).contains("main.sleepFor", "main.handleSleep");
  }

  @Test
  void keepsTheLastGoroutineWithoutACreatorLine() throws IOException {
    List<GoroutineDump.Goroutine> dump = GoroutineDump.read(reader("""
        goroutine 1 [running]:
        main.main()
        \t/app/main.go:10 +0x1d

        goroutine 7 [chan receive, 2 minutes]:
        main.(*worker).run(0xc000010000, {0x1, 0x2})
        \t/app/worker.go:40 +0x5
        ...additional frames elided...
        """));

    assertThat(dump).extracting(GoroutineDump.Goroutine::id).containsExactly(1L, 7L);
    assertThat(dump.get(1).functions()).containsExactly("main.(*worker).run");
  }

  private static BufferedReader reader(String text) {
    return new BufferedReader(new StringReader(text));
  }
}
