package dev.gopherscope.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.KubeletStandIn;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.S3Server;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The control plane failing under running sessions (issue 8): the operator SIGKILLed again and
 * again, the API server crashing and coming back on the same etcd. Real kube-apiserver, etcd and
 * s3proxy; the operator as its own JVM; kubelet and sidecar played by local processes speaking the
 * real contract. Slow: runs under {@code make it-faults}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorFaultIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Pattern SIGNATURE = Pattern.compile("X-Amz-Signature=([0-9a-f]{64})");

  private KubernetesApiServer api;
  private KubernetesClient client;
  private S3Server s3;
  private KubeletStandIn kubelet;
  private OperatorJvm operator;
  /** Every token, upload signature and key handed to a sidecar in this class, for the log check. */
  private final Set<String> secretsHandedOut = ConcurrentHashMap.newKeySet();
  private final List<Path> sidecarLogs = new ArrayList<>();

  @BeforeAll
  void startControlPlane() {
    api = KubernetesApiServer.startDedicated();
    client = api.newClient();
    s3 = S3Server.shared();
    DebugSessionCrd.install(client);
    kubelet = new KubeletStandIn(client);
    operator = new OperatorJvm(api, s3);
    operator.start();
    secretsHandedOut.add(s3.secretKey());
  }

  @AfterAll
  void stopControlPlane() throws Exception {
    try {
      assertNoSecretInLogs();
    } finally {
      operator.close();
      kubelet.close();
      client.close();
      api.close();
    }
  }

  @Test
  void sessionsSurviveTheOperatorBeingKilledAgainAndAgainAndLeaveNothingBehindAfterTheirTtl() throws Exception {
    String ns = OperatorHarness.namespace(client, "fault-operator");
    int kills = 5;
    int sessions = 2 * kills;
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Map<String, Set<SessionPhase>> phases = new ConcurrentHashMap<>();
    Map<String, DebugSession> lastSeen = new ConcurrentHashMap<>();
    try (SharedIndexInformer<DebugSession> watch = recordPhases(ns, phases, lastSeen)) {
      long started = System.nanoTime();
      for (int k = 0; k < kills; k++) {
        // Two new sessions per round, one taking 4 s: each kill lands while sessions are being
        // created, injected, reported on or finished.
        for (int i = 2 * k; i < 2 * k + 2; i++) {
          startSession(ns, (i % 2 == 0 ? "slow-" : "quick-") + i, "checkout-" + i, 4);
        }
        Thread.sleep(200 + random.nextInt(2500));
        operator.kill();
        long inFlight = 2L * (k + 1) - phases.values().stream().filter(this::terminal).count();
        System.out.printf("[fault] operator SIGKILLed (%d/%d) at +%d ms with %d session(s) in flight%n", k + 1, kills,
            (System.nanoTime() - started) / 1_000_000, inFlight);
        assertThat(inFlight).as("the kill lands while sessions run").isPositive();
        Thread.sleep(random.nextInt(1500));
        operator.start();
      }
      awaitTrue(() -> phases.size() == sessions && phases.values().stream().allMatch(this::terminal), WAIT,
          () -> "sessions still running: " + phases);

      List<String> failed = phases.entrySet().stream().filter(e -> e.getValue().contains(SessionPhase.Failed))
          .map(Map.Entry::getKey).toList();
      assertThat(failed).as("sessions that failed (seed %d)", seed).isEmpty();
      for (int i = 0; i < sessions; i++) {
        assertThat(client.pods().inNamespace(ns).withName("checkout-" + i).get().getSpec().getEphemeralContainers())
            .as("debuggers injected into checkout-%d", i).hasSize(1);
      }
      rememberSecretsHandedOut(ns, lastSeen.values());

      // ttlSecondsAfterFinished: 4 — then the sessions and everything they created must be gone.
      awaitTrue(() -> client.resources(DebugSession.class).inNamespace(ns).list().getItems().isEmpty(), WAIT,
          () -> "sessions not expired: " + names(client.resources(DebugSession.class).inNamespace(ns).list().getItems()));
      assertThat(names(client.secrets().inNamespace(ns).list().getItems())).as("orphaned Secrets").isEmpty();
      assertThat(names(client.serviceAccounts().inNamespace(ns).list().getItems())).as("orphaned ServiceAccounts")
          .allMatch("default"::equals);
      assertThat(names(client.rbac().roles().inNamespace(ns).list().getItems())).as("orphaned Roles").isEmpty();
      assertThat(names(client.rbac().roleBindings().inNamespace(ns).list().getItems())).as("orphaned RoleBindings").isEmpty();
      System.out.printf("[fault] operator: %d SIGKILLs over %d sessions (seed %d): %d Succeeded, 0 Failed, "
          + "%d injections (one per pod), 0 orphans after the TTL%n", kills, sessions, seed, sessions, sessions);
    }
  }

  @Test
  void sessionsFinishWhenTheApiServerCrashesAndComesBackOnTheSameEtcd() throws Exception {
    String ns = OperatorHarness.namespace(client, "fault-apiserver");
    int sessions = 4;
    for (int i = 0; i < sessions; i++) {
      startSession(ns, "slow-" + i, "checkout-" + i, 600);
    }
    awaitTrue(() -> client.resources(DebugSession.class).inNamespace(ns).list().getItems().stream()
        .allMatch(s -> s.getStatus() != null && s.getStatus().getTargets() != null
            && s.getStatus().getTargets().stream().allMatch(t -> t.getInjectionTime() != null)), WAIT,
        () -> "not all sessions injected");
    rememberSecretsHandedOut(ns, client.resources(DebugSession.class).inNamespace(ns).list().getItems());

    // The stand-in sidecars are mid-capture (4 s): their next reports meet a dead API server.
    Duration outage = api.restartApiServer(Duration.ofSeconds(3));

    awaitTrue(() -> client.resources(DebugSession.class).inNamespace(ns).list().getItems().stream()
        .filter(this::terminal).count() == sessions, WAIT, () -> "sessions still running after the restart");
    S3Client objects = s3.newClient();
    int artifacts = 0;
    for (DebugSession session : client.resources(DebugSession.class).inNamespace(ns).list().getItems()) {
      assertThat(session.getStatus().getPhase()).as("%s: %s", session.getMetadata().getName(),
          session.getStatus().getMessage()).isEqualTo(SessionPhase.Succeeded);
      String pod = session.getStatus().getTargets().get(0).getPod();
      assertThat(client.pods().inNamespace(ns).withName(pod).get().getSpec().getEphemeralContainers()).hasSize(1);
      assertThat(session.getStatus().getArtifacts()).isNotEmpty();
      for (Artifact artifact : session.getStatus().getArtifacts()) {
        URI uri = URI.create(artifact.getUri());
        byte[] stored = objects.getObjectAsBytes(b -> b.bucket(uri.getHost()).key(uri.getPath().substring(1)))
            .asByteArray();
        assertThat(sha256(stored)).as("sha256 of %s", uri).isEqualTo(artifact.getSha256());
        artifacts++;
      }
    }
    System.out.printf("[fault] kube-apiserver SIGKILLed mid-session, back after %d ms on the same etcd: "
        + "%d/%d sessions Succeeded, %d artifacts intact, one injection each%n", outage.toMillis(), sessions,
        sessions, artifacts);
  }

  @Test
  void aDebuggerKilledMidSessionFailsItsSessionWithTheExitCodeNeverLeavingItRunning() throws Exception {
    String ns = OperatorHarness.namespace(client, "fault-sidecar");
    int sessions = 6;
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int i = 0; i < sessions; i++) {
      startSession(ns, "slow-" + i, "checkout-" + i, 600);
    }
    List<DebugSession> running = new ArrayList<>();
    awaitTrue(() -> {
      running.clear();
      running.addAll(client.resources(DebugSession.class).inNamespace(ns).list().getItems());
      return running.stream().allMatch(s -> s.getStatus() != null && s.getStatus().getTargets() != null
          && s.getStatus().getTargets().stream().allMatch(t -> t.getInjectionTime() != null));
    }, WAIT, () -> "not all sessions injected");
    rememberSecretsHandedOut(ns, running);
    // SIGKILL each debugger at a random point of its ~5 s life: starting, attached, mid-capture.
    for (DebugSession session : running) {
      Thread.sleep(random.nextInt(400));
      String pod = session.getStatus().getTargets().get(0).getPod();
      String container = SessionNames.debuggerContainer(session);
      awaitTrue(() -> kubelet.process(ns, pod, container) != null, WAIT, () -> container + " never started");
      kubelet.process(ns, pod, container).kill();
    }
    awaitTrue(() -> client.resources(DebugSession.class).inNamespace(ns).list().getItems().stream()
        .filter(this::terminal).count() == sessions, WAIT, () -> "sessions stuck after their debugger was killed");
    for (DebugSession session : client.resources(DebugSession.class).inNamespace(ns).list().getItems()) {
      assertThat(session.getStatus().getPhase()).as("seed %d", seed).isEqualTo(SessionPhase.Failed);
      assertThat(session.getStatus().getTargets().get(0).getReason()).isEqualTo("DebuggerExited");
      assertThat(session.getStatus().getMessage()).contains("the debugger container exited with code 137");
    }
    System.out.printf("[fault] %d debuggers SIGKILLed mid-session (seed %d): %d sessions Failed with "
        + "DebuggerExited and the exit code, none stuck%n", sessions, seed, sessions);
  }

  /** Runs last (@AfterAll): whatever the operator and the sidecars logged, no credential is in it. */
  private void assertNoSecretInLogs() throws Exception {
    assertThat(secretsHandedOut).as("the check has credentials to look for").hasSizeGreaterThan(1);
    List<Path> logs = new ArrayList<>(operator.logs());
    logs.addAll(sidecarLogs);
    long bytes = 0;
    for (Path log : logs) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      bytes += text.length();
      for (String secret : secretsHandedOut) {
        assertThat(text).as("%s leaks a credential", log).doesNotContain(secret);
      }
    }
    assertThat(bytes).as("logs were written").isPositive();
    System.out.printf("[fault] no token, upload signature or object-store key in %d logs (%d KiB)%n", logs.size(),
        bytes / 1024);
  }

  private void rememberSecretsHandedOut(String ns, java.util.Collection<DebugSession> sessions) {
    assertThat(sessions).isNotEmpty();
    for (DebugSession session : sessions) {
      String pod = session.getStatus().getTargets().get(0).getPod();
      String container = SessionNames.debuggerContainer(session);
      awaitTrue(() -> kubelet.process(ns, pod, container) != null, WAIT, () -> container + " never started");
      Map<String, String> env = kubelet.environmentOf(ns, pod, container);
      secretsHandedOut.add(env.get(SidecarEnvironment.TOKEN));
      Matcher signatures = SIGNATURE.matcher(env.get(SidecarEnvironment.UPLOADS));
      while (signatures.find()) {
        secretsHandedOut.add(signatures.group(1));
      }
      sidecarLogs.add(kubelet.process(ns, pod, container).logFile());
    }
  }

  private SharedIndexInformer<DebugSession> recordPhases(String ns, Map<String, Set<SessionPhase>> phases,
      Map<String, DebugSession> lastSeen) {
    return client.resources(DebugSession.class).inNamespace(ns).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(DebugSession session) {
        record(session);
      }

      @Override
      public void onUpdate(DebugSession before, DebugSession session) {
        record(session);
      }

      @Override
      public void onDelete(DebugSession session, boolean unknownFinalState) {
      }

      private void record(DebugSession session) {
        lastSeen.put(session.getMetadata().getName(), session);
        Set<SessionPhase> seen = phases.computeIfAbsent(session.getMetadata().getName(), n -> ConcurrentHashMap.newKeySet());
        if (session.getStatus() != null && session.getStatus().getPhase() != null) {
          seen.add(session.getStatus().getPhase());
        }
      }
    });
  }

  private boolean terminal(Set<SessionPhase> seen) {
    return seen.contains(SessionPhase.Succeeded) || seen.contains(SessionPhase.Failed);
  }

  private boolean terminal(DebugSession session) {
    return session.getStatus() != null && (session.getStatus().getPhase() == SessionPhase.Succeeded
        || session.getStatus().getPhase() == SessionPhase.Failed);
  }


  /** A running pod and a Goroutines session on it, deleted {@code ttlSeconds} after it ends. */
  private void startSession(String ns, String name, String pod, int ttlSeconds) {
    kubelet.runPod(KubeletStandIn.pod(ns, pod, "app", Map.of("app", "checkout")));
    OperatorHarness.apply(client, ns, OperatorHarness.session(name, pod, "[{kind: Goroutines}]",
        "  ttlSecondsAfterFinished: " + ttlSeconds + "\n"));
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).collect(Collectors.toList());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout,
      java.util.function.Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("after " + timeout.toSeconds() + " s: " + what.get());
      }
      try {
        TimeUnit.MILLISECONDS.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
