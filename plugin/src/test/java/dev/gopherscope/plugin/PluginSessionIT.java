package dev.gopherscope.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.operator.OperatorMain;
import dev.gopherscope.operator.config.OperatorConfigLoader;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.PluginCli;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.S3Server;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whole sessions through the plugin: the launcher as a process, the real API server, the operator
 * in this JVM, the real sidecar started by the kubelet stand-in with exactly the command and env the
 * operator wrote, attached to the real Go demo, artifacts in a real S3 (s3proxy). Two runs happen
 * in a real terminal (tmux) whose screen is read back.
 */
@ExtendWith(RealComponentsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginSessionIT {

  private static final String NS = "plugin-e2e";
  private static final String TRACE_ID = "5ce0e9a56015fec5aadfa328ae398115";
  private static final String LEAK_TRACE_ID = "1eac0000000000000000000000000001";
  private static final Duration SESSION = Duration.ofMinutes(3);

  private KubernetesClient client;
  private KubeletStandIn kubelet;
  private GoDemoProcess app;
  private OperatorMain operator;
  private PluginCli cli;
  private final List<CompletableFuture<String>> inFlight = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  void start(KubernetesApiServer server, KubernetesClient client, S3Server s3) throws Exception {
    this.client = client;
    DebugSessionCrd.install(client);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
    kubelet = new KubeletStandIn(client);
    client.resource(Workloads.deployment(NS, "checkout", "checkout")).serverSideApply();
    // A name of its own: the sidecar finds its target by name among every process on this machine.
    app = GoDemoProcess.startNamed("gs-plugin-demo", 300);
    TestEnvironment env = TestEnvironment.get();
    String sidecar = String.join(" ", ProcessHandle.current().info().command().orElseThrow(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        "dev.gopherscope.sidecar.app.SidecarMain");
    operator = OperatorMain.start(OperatorConfigLoader.load(Map.of(
        "GOPHERSCOPE_S3_ENDPOINT", s3.endpoint().toString(),
        "GOPHERSCOPE_S3_ACCESS_KEY", s3.accessKey(),
        "GOPHERSCOPE_S3_SECRET_KEY", s3.secretKey(),
        "GOPHERSCOPE_S3_BUCKET", "gopherscope-plugin",
        "GOPHERSCOPE_SIDECAR_API_SERVER", server.serverUrl(),
        "GOPHERSCOPE_SIDECAR_API_CA", server.caPem(),
        "GOPHERSCOPE_SIDECAR_COMMAND", sidecar,
        "GOPHERSCOPE_SIDECAR_DLV", env.dlv().toString(),
        "GOPHERSCOPE_SIDECAR_REPORT_DEADLINE", "60s",
        "GOPHERSCOPE_METRICS_PORT", "0")), server.newClient());
    Path work = Files.createDirectories(Path.of("target", "plugin-e2e").toAbsolutePath());
    cli = new PluginCli(PluginCli.builtLauncher(), server.kubeconfigFile(), work, Map.of(
        // The user's own S3 credentials, as the AWS CLI reads them.
        "AWS_ACCESS_KEY_ID", s3.accessKey(),
        "AWS_SECRET_ACCESS_KEY", s3.secretKey(),
        "AWS_ENDPOINT_URL", s3.endpoint().toString()));
  }

  @AfterAll
  void stop() throws Exception {
    inFlight.forEach(f -> f.cancel(true));
    // Deleted while the operator still runs, so that it removes its finalizers.
    client.resources(DebugSession.class).inNamespace(NS).delete();
    client.resources(DebugSession.class).inNamespace(NS).informOnCondition(List::isEmpty).get(60, TimeUnit.SECONDS);
    if (operator != null) {
      operator.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (app != null) {
      app.close();
    }
  }

  /**
   * A pod object of the test's own, standing for the one demo process: the operator's injection
   * fails with a 409 when the (stand-in) kubelet updates the pod's status at the same moment, which
   * back-to-back sessions on one pod provoke.
   */
  private String pod(String name) {
    kubelet.runPod(KubeletStandIn.pod(NS, name, "app", Map.of("app", "checkout")));
    return name;
  }

  private String[] target(String... more) {
    List<String> args = new ArrayList<>(List.of("-n", NS, "--pprof-port", String.valueOf(app.pprofPort()),
        "--process", app.name(), "--timeout", "2m"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  /** Requests parked in the demo for a while, all carrying one trace id: blocked goroutines of one trace. */
  private void parkTracedRequests(int n) {
    for (int i = 0; i < n; i++) {
      inFlight.add(app.getTraced("/work/block?ms=60000", "00-" + TRACE_ID + "-00f067aa0ba902b7-01", Duration.ofSeconds(90)));
    }
  }

  @Test
  void goroutinesOfADeploymentEndWithCheckedArtifactsAndASummary() throws Exception {
    pod("checkout-deploy");
    PluginCli.Result r = cli.run(SESSION, concat(new String[] {"goroutines", "deploy/checkout"},
        target("--count", "2", "--every", "1s", "--name", "e2e-goroutines", "--progress", "plain")));
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stdout()).contains("debugsession " + NS + "/e2e-goroutines created")
        .containsPattern("\\[\\s*\\d+\\.\\ds\\] e2e-goroutines  Capturing")
        .contains("e2e-goroutines: Succeeded", "Goroutines: ", "Largest goroutine groups:", "Artifacts in ");
    DebugSession done = client.resources(DebugSession.class).inNamespace(NS).withName("e2e-goroutines").get();
    assertThat(done.getStatus().getPhase()).isEqualTo(SessionPhase.Succeeded);
    assertThat(done.getStatus().getArtifacts()).isNotEmpty();
    for (Artifact a : done.getStatus().getArtifacts()) {
      Path file = cli.workDir().resolve("gopherscope/e2e-goroutines").resolve(a.getPod()).resolve(a.getName());
      assertThat(file).as(a.getName()).exists();
      assertThat(Downloads.sha256(file)).as(a.getName()).isEqualTo(a.getSha256());
      assertThat(Files.size(file)).isEqualTo(a.getBytes());
    }

    PluginCli.Result ls = cli.run("ls", "-n", NS);
    assertThat(ls.stdout()).containsPattern("e2e-goroutines\\s+Succeeded\\s+1/1\\s+1/1\\s+\\S+\\s+\\S+\\s+\\d+ goroutines");

    PluginCli.Result again = cli.run("get", "e2e-goroutines", "-n", NS, "--download");
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(again.stdout()).contains("(already here)");
    PluginCli.Result watched = cli.run("get", "e2e-goroutines", "-n", NS, "-w");
    assertThat(watched.exitCode()).as(watched.all()).isZero();
    assertThat(watched.stdout()).contains("e2e-goroutines  Succeeded", "Largest goroutine groups:");

    PluginCli.Result unreachable = cli.run("get", "e2e-goroutines", "-n", NS, "--download", "--store", "s3",
        "--s3-endpoint", "http://127.0.0.1:9", "--out-dir", "elsewhere");
    PluginScenarios.expectError(unreachable,
        "error: object store unreachable: S3 at http://127.0.0.1:9 (connection refused)");
  }

  @Test
  void cpuProfileShowsTopFramesAndOpensTheFlameGraph() throws Exception {
    String pod = pod("checkout-cpu");
    // Busy for longer than the session takes to reach its capture.
    for (int i = 0; i < 2; i++) {
      inFlight.add(app.getTraced("/work/cpu?ms=20000", "00-" + TRACE_ID + "-00f067aa0ba902b7-01", Duration.ofSeconds(60)));
    }
    PluginCli.Result r = cli.run(SESSION, concat(new String[] {"cpu", "pod/" + pod},
        target("--duration", "2s", "--name", "e2e-cpu")));
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stdout()).contains("e2e-cpu: Succeeded", "Top CPU frames, pod " + pod)
        .containsPattern("\\d+\\.\\d%  \\S+").contains("kubectl gopherscope open e2e-cpu");

    Path browser = cli.workDir().resolve("fake-browser.sh");
    Path opened = cli.workDir().resolve("opened.txt");
    Files.writeString(browser, "#!/bin/sh\necho \"$1\" > " + opened + "\n");
    browser.toFile().setExecutable(true);
    Files.deleteIfExists(opened);
    PluginCli.Result open = cli.withEnv(Map.of("BROWSER", browser.toString())).run("open", "e2e-cpu", "-n", NS);
    assertThat(open.exitCode()).as(open.all()).isZero();
    Path html = Path.of(Files.readString(opened).strip());
    assertThat(html).hasFileName("cpu.html").exists();
    assertThat(Files.readString(html)).contains("<html");
  }

  @Test
  void theRuntimeVerbsPrintWhatTheyFound() throws Exception {
    // Contention and leaks for the verbs to find: a lock holder with waiters, blocked channel waits, leaking goroutines.
    for (int i = 0; i < 3; i++) {
      inFlight.add(app.getTraced("/work/lock?ms=1500", "00-" + TRACE_ID + "-00f067aa0ba902b7-01", Duration.ofSeconds(60)));
    }
    PluginCli.Result health = cli.run(SESSION, concat(new String[] {"health", "pod/" + pod("checkout-health")},
        target("--duration", "2s", "--name", "e2e-health")));
    assertThat(health.exitCode()).as(health.all()).isZero();
    assertThat(health.stdout()).containsPattern("Runtime health \\[checkout-health\\] over 2 s: [0-9.]+ GC/min, GC pauses ")
        .containsPattern("heap in use [0-9.]+ MiB of goal [0-9.]+ MiB, [0-9]+ goroutines")
        .contains("runtime-health.json");

    PluginCli.Result allocs = cli.run(SESSION, concat(new String[] {"allocs", "pod/" + pod("checkout-allocs")},
        target("--name", "e2e-allocs")));
    assertThat(allocs.exitCode()).as(allocs.all()).isZero();
    assertThat(cli.workDir().resolve("gopherscope/e2e-allocs/checkout-allocs/allocs.pb.gz")).isNotEmptyFile();

    // Contended lock requests all through the mutex capture, whenever its window falls.
    AutoCloseable contention = repeatedly("/work/lock?ms=200", 250, TRACE_ID);
    PluginCli.Result mutex = cli.run(SESSION, concat(new String[] {"mutex", "pod/" + pod("checkout-mutex")},
        target("--fraction", "1", "--duration", "2s", "--attach-pause-budget", "15s", "--pause-budget", "2s",
            "--name", "e2e-mutex")));
    contention.close();
    assertThat(mutex.exitCode()).as(mutex.all()).isZero();
    assertThat(mutex.stdout()).containsPattern("Profiling switched on in place \\[checkout-mutex\\]: "
        + "runtime.mutexprofilerate set to 1 \\(was \\d+\\), put back by ");
    assertThat(cli.workDir().resolve("gopherscope/e2e-mutex/checkout-mutex/mutex.pb.gz")).isNotEmptyFile();

    AutoCloseable waits = repeatedly("/work/block?ms=100", 150, TRACE_ID);
    PluginCli.Result block = cli.run(SESSION, concat(new String[] {"block", "pod/" + pod("checkout-block")},
        target("--rate", "1", "--duration", "2s", "--attach-pause-budget", "15s", "--pause-budget", "2s",
            "--name", "e2e-block")));
    waits.close();
    assertThat(block.exitCode()).as(block.all()).isZero();
    assertThat(block.stdout()).containsPattern("Profiling switched on in place \\[checkout-block\\]: "
        + "runtime.blockprofilerate set to \\d+ \\(was \\d+\\), put back by ");
    assertThat(cli.workDir().resolve("gopherscope/e2e-block/checkout-block/block.pb.gz")).isNotEmptyFile();

    // Goroutines that never end, more of them every half second: growth in every snapshot.
    // A trace of their own: the leaked goroutines stay, and must not crowd TRACE_ID's in later tests.
    AutoCloseable leaking = repeatedly("/work/leak?n=25", 500, LEAK_TRACE_ID);
    PluginCli.Result leaks = cli.run(SESSION, concat(new String[] {"leaks", "pod/" + pod("checkout-leaks")},
        target("--count", "3", "--every", "1s", "--name", "e2e-leaks")));
    leaking.close();
    assertThat(leaks.exitCode()).as(leaks.all()).isZero();
    assertThat(leaks.stdout()).contains("Leak suspects (Proven: by the garbage collector; Growth: grew in every snapshot):")
        .containsPattern("Growth +\\[\\d+, \\d+, \\d+\\]  main.leakedWorker");
  }

  /** GETs {@code path} in trace {@code traceId} every {@code periodMs} until closed. */
  private AutoCloseable repeatedly(String path, long periodMs, String traceId) {
    java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    timer.scheduleAtFixedRate(() -> inFlight.add(app.getTraced(path, "00-" + traceId + "-00f067aa0ba902b7-01",
        Duration.ofSeconds(30))), 0, periodMs, TimeUnit.MILLISECONDS);
    return timer::shutdownNow;
  }

  @Test
  void anArmedSessionShowsArmedThenCapturesWhenTheLabelAppears() throws Exception {
    String pod = pod("checkout-armed");
    // The labelled request comes once the session is Armed, two polls later.
    CompletableFuture<String> blocked = CompletableFuture.supplyAsync(() -> {
      client.resources(DebugSession.class).inNamespace(NS).withName("e2e-armed").waitUntilCondition(s -> s != null
          && s.getStatus() != null && s.getStatus().getPhase() == SessionPhase.Armed, 90, TimeUnit.SECONDS);
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "";
    }).thenCompose(x -> app.getTraced("/work/fanout?n=5&ms=6000", "00-" + TRACE_ID + "-00f067aa0ba902b7-01",
        Duration.ofSeconds(60)));
    PluginCli.Result r = cli.run(SESSION, concat(new String[] {"goroutines", "pod/" + pod},
        target("--when-label", "route=/work/fanout", "--poll-interval", "1s", "--label", "route=/work/fanout",
            "--name", "e2e-armed", "--progress", "plain")));
    blocked.get(30, TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stdout()).containsPattern("e2e-armed  Armed  targets 0/1")
        .containsPattern("pod checkout-armed  Armed  paused 0 ms  captures 0/1  armed for a goroutine labelled "
            + "\\{route=/work/fanout\\}")
        .contains("e2e-armed: Succeeded", "  trigger: Fired on 1 target(s), first at ", "main.fanoutWorker");
    assertThat(cli.workDir().resolve("gopherscope/e2e-armed/checkout-armed/trigger.json")).isNotEmptyFile();
  }

  @Test
  void diffShowsTheGroupThatGrew() {
    PluginCli.Result before = cli.run(SESSION, concat(new String[] {"goroutines", "pod/" + pod("checkout-before")},
        target("--source", "Pprof", "--name", "e2e-before", "--no-download")));
    assertThat(before.exitCode()).as(before.all()).isZero();
    parkTracedRequests(40);
    PluginCli.Result after = cli.run(SESSION, concat(new String[] {"goroutines", "pod/" + pod("checkout-after")},
        target("--source", "Pprof", "--name", "e2e-after", "--no-download")));
    assertThat(after.exitCode()).as(after.all()).isZero();

    PluginCli.Result diff = cli.run("diff", "e2e-before", "e2e-after", "-n", NS);
    assertThat(diff.exitCode()).as(diff.all()).isZero();
    assertThat(diff.stdout()).containsPattern("e2e-before -> e2e-after: \\d+ -> \\d+ goroutines \\(\\+\\d+\\)")
        .containsPattern("(?s)(Grew|Appeared):.*\\+\\s*4\\d.*main\\.handleBlock");
  }

  @Test
  void diffOfTwoHeapSessionsShowsTheFunctionThatKeptMemory() throws Exception {
    PluginCli.Result before = cli.run(SESSION, concat(new String[] {"heap", "pod/" + pod("checkout-heap-before")},
        target("--name", "e2e-heap-before", "--no-download")));
    assertThat(before.exitCode()).as(before.all()).isZero();
    // 16 MiB kept forever, a MiB at a time: enough garbage collections for the heap profile to see it.
    for (int i = 0; i < 16; i++) {
      app.getTraced("/work/retain?kb=1024", "00-" + TRACE_ID + "-00f067aa0ba902b7-01", Duration.ofSeconds(30))
          .get(30, TimeUnit.SECONDS);
    }
    PluginCli.Result after = cli.run(SESSION, concat(new String[] {"heap", "pod/" + pod("checkout-heap-after")},
        target("--name", "e2e-heap-after", "--no-download")));
    assertThat(after.exitCode()).as(after.all()).isZero();

    PluginCli.Result diff = cli.run("diff", "e2e-heap-before", "e2e-heap-after", "-n", NS);
    assertThat(diff.exitCode()).as(diff.all()).isZero();
    assertThat(diff.stdout()).containsPattern("e2e-heap-before -> e2e-heap-after: heap inuse_space, [0-9.]+ [KMG]?i?B "
        + "-> [0-9.]+ [KMG]?i?B \\(\\+[0-9.]+ [KMG]?i?B\\)")
        .containsPattern("(?s)(Grew|Appeared):\\n(  .*\\n)*\\s+\\+\\d+\\.\\d MiB.*  main\\.retainForever");

    // Goroutines against a heap profile: nothing in common, and the plugin says what each has.
    PluginScenarios.expectError(cli.run("diff", "e2e-heap-before", "e2e-heap-after", "-n", NS, "--profile", "goroutines"),
        "error: debugsession e2e-heap-before has no goroutines profile");
  }

  @Test
  void aTerminalRunShowsOneUpdatingBlockThenTheSummary() {
    assumeThat(Tmux.available()).as("tmux is not installed: the terminal run cannot be tested").isTrue();
    parkTracedRequests(5);
    String pod = pod("checkout-tty");
    String command = cli.launcher() + " trace-stacks pod/" + pod + " " + String.join(" ", target("--name", "e2e-tty"));
    try (Tmux tmux = Tmux.start(cli.workDir(), cli.environment(), command)) {
      String running = tmux.awaitScreen(s -> s.contains("e2e-tty  ") && s.contains("  pod " + pod),
          Duration.ofSeconds(60), "the progress block");
      assertThat(running).contains("debugsession " + NS + "/e2e-tty created");
      String done = tmux.awaitScreen(s -> s.contains("[exit "), SESSION, "the plugin's exit");
      System.out.println("[plugin] the terminal after the run:\n" + done);
      assertThat(done).contains("[exit 0]", "e2e-tty: Succeeded", "Traces (goroutines, blocked, innermost frames):")
          .containsPattern(TRACE_ID + "  \\d+ goroutines, [1-9]\\d* blocked");
      // Redrawn in place: the block's lines appear once, however many times it was drawn.
      assertThat(done.lines().filter(l -> l.startsWith("e2e-tty  ")).count()).as(done).isEqualTo(1);
      assertThat(done.lines().filter(l -> l.startsWith("  pod " + pod + "  ")).count()).as(done).isEqualTo(1);
      assertThat(done).containsPattern("e2e-tty  Succeeded  targets 1/1  captures 1/1  paused \\d+ ms");
    }
  }

  @Test
  void ctrlCInATerminalAsksAndDeletesTheSession() {
    assumeThat(Tmux.available()).as("tmux is not installed: the terminal run cannot be tested").isTrue();
    // Long, yet holding nothing the other tests need (a CPU profile would hold the app's profiler).
    String command = cli.launcher() + " goroutines pod/" + pod("checkout-ctrlc") + " " + String.join(" ", target("--count", "30",
        "--every", "2s", "--name", "e2e-interrupted"));
    try (Tmux tmux = Tmux.start(cli.workDir(), cli.environment(), command)) {
      tmux.awaitScreen(s -> s.contains("e2e-interrupted  Capturing"), Duration.ofSeconds(90), "the Capturing phase");
      tmux.sendKeys("C-c");
      tmux.awaitScreen(s -> s.contains("Delete debugsession " + NS + "/e2e-interrupted"), Duration.ofSeconds(20),
          "the delete prompt");
      tmux.sendKeys("y", "Enter");
      String screen = tmux.awaitScreen(s -> s.contains("[exit "), Duration.ofSeconds(20), "the plugin's exit");
      System.out.println("[plugin] the terminal after Ctrl-C:\n" + screen);
      assertThat(screen).contains("debugsession " + NS + "/e2e-interrupted deleted", "[exit 130]");
    }
    client.resources(DebugSession.class).inNamespace(NS).withName("e2e-interrupted")
        .waitUntilCondition(s -> s == null, 60, TimeUnit.SECONDS);
  }
}
