package dev.gopherscope.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gopherscope.testsupport.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoBuildInfoTest {

  private static final String MODINFO = "path\texample.com/shop/cmd/checkout\n"
      + "mod\texample.com/shop\t(devel)\t\n"
      + "dep\tgolang.org/x/net\tv0.1.0\th1:abc=\n";

  @TempDir
  Path dir;

  @Test
  void readsTheDemoBinary() throws Exception {
    GoBuildInfo info = GoBuildInfo.read(TestEnvironment.get().demoService()).orElseThrow();

    assertThat(info.goVersion()).startsWith("go1.");
    assertThat(info.modulePath()).isEqualTo("gopherscope.dev/examples/demo-service");
    assertThat(info.mainPackage()).isEqualTo("gopherscope.dev/examples/demo-service");
    assertThat(info.hasDebugInfo()).isTrue();
    assertThat(info.goArch()).isEqualTo("amd64");
  }

  @Test
  void aBinaryWithoutDwarfIsStillGoButNotDebuggable() throws Exception {
    Path objcopy = Path.of("/usr/bin/objcopy");
    assumeTrue(Files.isExecutable(objcopy), "objcopy is not installed: cannot make a stripped copy to test on");
    Path stripped = dir.resolve("demo-stripped");
    Process strip = new ProcessBuilder(objcopy.toString(), "--strip-debug",
        TestEnvironment.get().demoService().toString(), stripped.toString()).inheritIO().start();
    assertThat(strip.waitFor()).isZero();

    GoBuildInfo info = GoBuildInfo.read(stripped).orElseThrow();

    assertThat(info.goVersion()).startsWith("go1.");
    assertThat(info.hasDebugInfo()).isFalse();
  }

  @Test
  void aNonGoBinaryHasNone() throws Exception {
    assertThat(GoBuildInfo.read(Path.of("/bin/ls"))).isEmpty();
  }

  @Test
  void filesThatAreNotElfHaveNone() throws Exception {
    Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    byte[] demo = Files.readAllBytes(TestEnvironment.get().demoService());
    Path truncated = Files.write(dir.resolve("truncated"), Arrays.copyOf(demo, 4096));

    assertThat(GoBuildInfo.read(script)).isEmpty();
    assertThat(GoBuildInfo.read(empty)).isEmpty();
    assertThat(GoBuildInfo.read(truncated)).isEmpty();
  }

  @Test
  void readsTheInlineFormatOfGo118AndLater() throws Exception {
    ByteArrayOutputStream section = new ByteArrayOutputStream();
    section.writeBytes(ElfFixture.buildInfoHeader(2, 32).array());
    writeVarintString(section, "go1.22.4".getBytes(StandardCharsets.UTF_8));
    writeVarintString(section, ElfFixture.modinfo(MODINFO));
    Path file = Files.write(dir.resolve("inline"), new ElfFixture()
        .section(".go.buildinfo", 0x5000, section.toByteArray())
        .section(".debug_info", 0, new byte[16])
        .build());

    assertThat(GoBuildInfo.read(file)).contains(
        new GoBuildInfo("go1.22.4", "example.com/shop/cmd/checkout", "example.com/shop", true, "amd64"));
  }

  @Test
  void readsThePointerFormatOfGoBefore118() throws Exception {
    long data = 0x7000;
    byte[] version = "go1.16.15".getBytes(StandardCharsets.UTF_8);
    byte[] modinfo = ElfFixture.modinfo(MODINFO);
    // .data holds two Go string headers {ptr, len}, then the bytes they point to.
    ByteBuffer strings = ByteBuffer.allocate(32 + version.length + modinfo.length).order(ByteOrder.LITTLE_ENDIAN);
    strings.putLong(data + 32).putLong(version.length);
    strings.putLong(data + 32 + version.length).putLong(modinfo.length);
    strings.put(version).put(modinfo);
    ByteBuffer header = ElfFixture.buildInfoHeader(0, 32);
    header.putLong(16, data).putLong(24, data + 16);
    Path file = Files.write(dir.resolve("pointers"), new ElfFixture()
        .section(".go.buildinfo", 0x5000, header.array())
        .section(".data", data, strings.array())
        .section(".zdebug_info", 0, new byte[16])
        .build());

    assertThat(GoBuildInfo.read(file)).contains(
        new GoBuildInfo("go1.16.15", "example.com/shop/cmd/checkout", "example.com/shop", true, "amd64"));
  }

  @Test
  void aPointerOutsideTheFileMeansNoBuildInfo() throws Exception {
    ByteBuffer header = ElfFixture.buildInfoHeader(0, 32);
    header.putLong(16, 0xdead0000L).putLong(24, 0xdead0010L);
    Path file = Files.write(dir.resolve("dangling"), new ElfFixture()
        .section(".go.buildinfo", 0x5000, header.array()).build());

    assertThat(GoBuildInfo.read(file)).isEmpty();
  }

  @Test
  void aBadMagicOrAnOverlongStringMeansNoBuildInfo() throws Exception {
    ByteBuffer wrongMagic = ElfFixture.buildInfoHeader(2, 40);
    wrongMagic.put(1, (byte) 'g');
    ByteArrayOutputStream overlong = new ByteArrayOutputStream();
    overlong.writeBytes(ElfFixture.buildInfoHeader(2, 32).array());
    overlong.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'g', 'o'});

    for (byte[] section : new byte[][] {wrongMagic.array(), overlong.toByteArray()}) {
      Path file = Files.write(dir.resolve("bad" + section.length),
          new ElfFixture().section(".go.buildinfo", 0x5000, section).build());
      assertThat(GoBuildInfo.read(file)).as("%d-byte section", section.length).isEqualTo(Optional.empty());
    }
  }

  private static void writeVarintString(ByteArrayOutputStream out, byte[] bytes) {
    long n = bytes.length;
    while (n >= 0x80) {
      out.write((int) (n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write((int) n);
    out.writeBytes(bytes);
  }
}
