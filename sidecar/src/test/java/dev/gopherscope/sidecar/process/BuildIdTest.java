package dev.gopherscope.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build IDs of the real demo, its stripped copy and its split debug info, against binutils and the Go tool. */
class BuildIdTest {

  @TempDir
  Path dir;

  @Test
  void theGnuBuildIdIsWhatReadelfShowsAndSurvivesStrippingAndSplitting() throws Exception {
    TestEnvironment env = TestEnvironment.get();
    String readelf = run("readelf", "-n", env.demoService().toString());
    String expected = readelf.replaceAll("(?s).*Build ID: ([0-9a-f]+).*", "$1");

    BuildId id = BuildId.read(env.demoService()).orElseThrow();

    assertThat(id).isEqualTo(new BuildId(expected, BuildId.Kind.GNU));
    assertThat(BuildId.read(env.strippedDemoService())).contains(id);
    assertThat(BuildId.read(env.demoServiceDebugInfo())).contains(id);
  }

  @Test
  void withoutTheGnuNoteGosOwnBuildIdIsUsed() throws Exception {
    Path noGnu = dir.resolve("no-gnu-note");
    run("objcopy", "--remove-section", ".note.gnu.build-id", TestEnvironment.get().demoService().toString(),
        noGnu.toString());
    String goBuildId = run("go", "tool", "buildid", noGnu.toString()).strip();

    assertThat(BuildId.read(noGnu)).contains(new BuildId(goBuildId, BuildId.Kind.GO));
  }

  @Test
  void aFileThatIsNoElfHasNone() throws Exception {
    Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");

    assertThat(BuildId.read(script)).isEmpty();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
