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

/**
 * The DWARF size of the real demo binary (Go compresses its debug sections) against binutils:
 * {@code objcopy --decompress-debug-sections} inflates them, and {@code readelf -S} sums them.
 */
class DebugInfoSizeTest {

  @TempDir
  Path dir;

  @Test
  void countsCompressedSectionsAtTheirInflatedSizeAsBinutilsDoes() throws Exception {
    Path demo = TestEnvironment.get().demoService();
    Path inflated = dir.resolve("inflated");
    run("objcopy", "--decompress-debug-sections", demo.toString(), inflated.toString());

    long measured = DebugInfoSize.inflatedBytes(demo).orElseThrow();

    assertThat(measured).isEqualTo(debugSectionBytes(inflated));
    assertThat(DebugInfoSize.inflatedBytes(inflated)).contains(measured);
    assertThat(measured).as("larger than stored: the sections are compressed").isGreaterThan(debugSectionBytes(demo));
  }

  @Test
  void aStrippedBinaryHasNone() throws Exception {
    Path stripped = dir.resolve("stripped");
    run("objcopy", "--strip-debug", TestEnvironment.get().demoService().toString(), stripped.toString());

    assertThat(DebugInfoSize.inflatedBytes(stripped)).contains(0L);
  }

  @Test
  void aFileThatIsNotAnElfHasNoAnswer() throws Exception {
    Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");

    assertThat(DebugInfoSize.inflatedBytes(script)).isEmpty();
  }

  /** The sum of the {@code .debug_*} section sizes as readelf lists them (as stored in the file). */
  private static long debugSectionBytes(Path binary) throws Exception {
    long total = 0;
    for (String line : run("readelf", "-S", "-W", binary.toString())) {
      String[] fields = line.replaceFirst("^\\s*\\[\\s*\\d+]\\s*", "").trim().split("\\s+");
      if (fields.length > 5 && fields[0].startsWith(".debug_")) {
        total += Long.parseLong(fields[4], 16);
      }
    }
    return total;
  }

  private static List<String> run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output.lines().toList();
  }
}
