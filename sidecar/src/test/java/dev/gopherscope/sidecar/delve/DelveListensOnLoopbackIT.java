package dev.gopherscope.sidecar.delve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariant 4: dlv's API, which can read and write the target's memory, listens on
 * 127.0.0.1 only. Read from the kernel: the listening sockets that dlv's file descriptors hold.
 */
class DelveListensOnLoopbackIT {

  @Test
  void everyListeningSocketOfDlvIsOnLoopback() throws Exception {
    try (GoDemoProcess demo = GoDemoProcess.start(10);
         DelveServer dlv = DelveServer.attach(TestEnvironment.get().dlv(), demo.pid(), Duration.ofSeconds(60))) {
      Set<String> inodes = socketInodes(dlv.pid());
      List<String> listening = new ArrayList<>();
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
          String[] f = line.trim().split("\\s+");
          // f[1] local address:port (hex), f[3] state (0A = LISTEN), f[9] inode
          if (f[3].equals("0A") && inodes.contains(f[9])) {
            listening.add(f[1]);
          }
        }
      }
      assertThat(listening).as("dlv's listening sockets").isNotEmpty()
          .allSatisfy(address -> assertThat(address).startsWith("0100007F:"));
      assertThat(listening).anySatisfy(address ->
          assertThat(Integer.parseInt(address.substring(address.indexOf(':') + 1), 16)).isEqualTo(dlv.port()));
    }
  }

  private static Set<String> socketInodes(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // The descriptor closed while we listed them.
        }
      }
    }
    return inodes;
  }
}
