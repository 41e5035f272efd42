package dev.gopherscope.operator;

import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.ManagedProcess;
import dev.gopherscope.testsupport.S3Server;
import dev.gopherscope.testsupport.TestEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operator as its own JVM, as deployed, so a test can SIGKILL it (no shutdown hook, no
 * graceful stop) and start a fresh one. Every incarnation writes its own log, kept for the
 * no-secrets-in-logs check.
 */
final class OperatorJvm implements AutoCloseable {

  private final Map<String, String> env;
  private final List<Path> logs = new ArrayList<>();
  private ManagedProcess process;

  OperatorJvm(KubernetesApiServer server, S3Server s3) {
    this.env = OperatorHarness.environment(server, s3);
    this.env.put("KUBECONFIG", server.kubeconfigFile().toString());
    // As deployed: faults must be survived with the default report deadline, not the ITs' short one.
    this.env.remove("GOPHERSCOPE_SIDECAR_REPORT_DEADLINE");
  }

  void start() {
    Path log = TestEnvironment.scratchDir("logs").resolve("operator-" + ProcessHandle.current().pid() + "-"
        + logs.size() + ".log");
    logs.add(log);
    process = ManagedProcess.start("operator", List.of(OperatorHarness.javaCommand(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), OperatorMain.class.getName()), env, log,
        Pattern.compile("gopherscope operator started"));
    process.awaitReady(Duration.ofSeconds(60));
  }

  /** SIGKILL: whatever the operator was doing stops mid-step. */
  void kill() {
    process.kill();
  }

  List<Path> logs() {
    return List.copyOf(logs);
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
