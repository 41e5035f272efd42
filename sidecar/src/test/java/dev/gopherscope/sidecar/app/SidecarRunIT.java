package dev.gopherscope.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.contract.SidecarPlan.SessionRef;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.GoDemoProcess;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.ManagedProcess;
import dev.gopherscope.testsupport.S3Server;
import dev.gopherscope.testsupport.TestEnvironment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@code sidecar run} as the kubelet would start it in the injected container: its own JVM with
 * the environment the operator writes (the plan from {@link SessionPlanner}, a token that may only
 * patch this session's status, presigned URLs for the real object store), against the real demo
 * service, a real API server and s3proxy. The operator itself is not running: the test reads the
 * session's status and the bucket directly.
 */
class SidecarRunIT {

  private static final String BUCKET = "sidecar-run-it";
  private static final String POD = "demo-0";
  private static final YAMLMapper YAML = new YAMLMapper();

  private static KubernetesApiServer api;
  private static KubernetesClient client;
  private static S3Server s3;
  private static S3Client s3Client;
  private static GoDemoProcess demo;

  @BeforeAll
  static void start() {
    api = KubernetesApiServer.shared();
    client = api.newClient();
    DebugSessionCrd.install(client);
    s3 = S3Server.shared();
    s3Client = s3.newClient();
    s3Client.createBucket(b -> b.bucket(BUCKET));
    demo = GoDemoProcess.startNamed("gs-run-" + Long.toHexString(System.nanoTime() & 0xffffffL), 500);
  }

  @AfterAll
  static void stop() {
    demo.close();
    s3Client.close();
    client.close();
  }

  @Test
  void walksTheTargetToDoneAndEveryArtifactArrivesIntact() throws Exception {
    CompletableFuture<?> request = demo.getTraced("/work/sleep?ms=6000",
        "00-4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d-4d4d4d4d4d4d4d4d-01");
    Session session = Session.create("run-happy", """
        target: {podName: demo-0, container: app, processName: %s}
        pprof: {port: %d}
        captures:
          - {kind: Goroutines, every: 1s, count: 2}
          - {kind: TraceStacks}
          - {kind: CPUProfile, duration: 1s}
          - {kind: Heap}
        timeout: 2m
        """.formatted(demo.name(), demo.pprofPort()));

    Run run = session.runSidecar();

    assertThat(run.exit()).as(run.log()).isZero();
    List<String> phases = run.phases();
    assertThat(phases).as(run.log()).startsWith("Attached").contains("Capturing", "Uploading").endsWith("Done");
    JsonNode report = session.report();
    assertThat(report.path("pid").asLong()).isEqualTo(demo.pid());
    assertThat(report.path("goVersion").asText()).startsWith("go1.");
    assertThat(report.path("capturesDone").asInt()).isEqualTo(4);
    assertThat(report.path("capturesPlanned").asInt()).isEqualTo(4);
    assertThat(report.path("artifactsFailed").asInt()).isZero();
    assertThat(report.path("pausedMs").asLong()).as("pprof captures never halt the target").isZero();

    SidecarReport full = ContractJson.mapper().readValue(session.object("report.json"), SidecarReport.class);
    assertThat(full.pid()).isEqualTo((int) demo.pid());
    assertThat(full.captures()).hasSize(4).allSatisfy(c -> assertThat(c.ok()).as(c.message()).isTrue());
    assertThat(full.captures().get(1).traceStacks()).extracting(SidecarReport.TraceStacks::traceId)
        .contains("4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d");
    assertThat(full.artifacts()).extracting(SidecarReport.ArtifactRecord::name).containsExactly(
        "goroutines-1.json", "goroutines-1.pb.gz", "goroutines-2.json", "goroutines-2.pb.gz", "goroutines-diff.json",
        "trace-stacks.pb.gz", "trace-stacks.json", "cpu.pb.gz", "cpu.html", "heap.pb.gz", "heap.html");
    for (SidecarReport.ArtifactRecord artifact : full.artifacts()) {
      assertThat(artifact.state()).as(artifact.name()).isEqualTo("Uploaded");
      assertThat(SpooledFiles.sha256(session.object(artifact.name()))).as(artifact.name())
          .isEqualTo(artifact.sha256());
      assertThat(artifact.bytes()).isEqualTo(session.object(artifact.name()).length);
    }
    assertThat(report.path("artifactsUploaded").asInt()).isEqualTo(full.artifacts().size() + 1);
    // Neither the token nor any upload signature shows in the sidecar's log or in what it reported.
    List<String> credentials = new ArrayList<>(List.of(session.env().get(SidecarEnvironment.TOKEN)));
    java.util.regex.Matcher signatures = java.util.regex.Pattern.compile("X-Amz-Signature=([0-9a-f]{64})")
        .matcher(session.env().get(SidecarEnvironment.UPLOADS));
    while (signatures.find()) {
      credentials.add(signatures.group(1));
    }
    assertThat(credentials).hasSize(full.artifacts().size() + 2);
    for (String credential : credentials) {
      assertThat(run.log()).isNotEmpty().doesNotContain(credential);
      assertThat(report.toString()).doesNotContain(credential);
      assertThat(new String(session.object("report.json"), java.nio.charset.StandardCharsets.UTF_8))
          .doesNotContain(credential);
    }
    System.out.printf("[measure] sidecar run: first status report %d ms after the JVM was started, peak RSS %d KiB, "
        + "whole session %d ms%n", run.firstReportMs(), run.peakRssKiB(), run.totalMs());
    request.get(30, TimeUnit.SECONDS);
  }

  @Test
  void anArmedTargetReportsArmedUntilItsTriggerFiresAndTheFiguresPassTheSchema() throws Exception {
    Session session = Session.create("run-armed", """
        target: {podName: demo-0, container: app, processName: %s}
        pprof: {port: %d}
        trigger: {labelAppears: {route: /work/block}, pollInterval: 1s}
        captures:
          - {kind: Goroutines}
        timeout: 2m
        """.formatted(demo.name(), demo.pprofPort()));
    // The labelled request comes once the status says Armed, and after two more polls.
    CompletableFuture<String> blocked = CompletableFuture.supplyAsync(() -> {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!session.report().path("phase").asText().equals("Armed") && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "";
    }).thenCompose(x -> demo.getTraced("/work/block?ms=4000", "00-5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e-5e5e5e5e5e5e5e5e-01"));

    Run run = session.runSidecar();

    assertThat(run.exit()).as(run.log()).isZero();
    assertThat(run.phases()).as(run.log()).containsSubsequence("Attached", "Armed", "Capturing", "Uploading", "Done");
    JsonNode trigger = session.report().path("trigger");
    assertThat(trigger.path("state").asText()).as("status.targets[].report.trigger").isEqualTo("Fired");
    assertThat(trigger.path("polls").asLong()).as("unfired polls, then the one that fired").isGreaterThanOrEqualTo(2);
    assertThat(trigger.path("value").asLong()).isPositive();
    assertThat(Instant.parse(trigger.path("firedTime").asText())).isBefore(Instant.now());
    JsonNode document = ContractJson.mapper().readTree(session.object("trigger.json"));
    assertThat(document.path("state").asText()).isEqualTo("Fired");
    assertThat(new String(session.object("goroutines-1.json"), java.nio.charset.StandardCharsets.UTF_8))
        .contains("main.waitOnChannel");
    blocked.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aTriggerThatNeverFiresEndsTheTargetBeforeTheTimeoutSayingSo() throws Exception {
    Session session = Session.create("run-never", """
        target: {podName: demo-0, container: app, processName: %s}
        pprof: {port: %d}
        trigger: {goroutinesAbove: 1000000, pollInterval: 1s}
        captures:
          - {kind: Goroutines}
        timeout: 15s
        """.formatted(demo.name(), demo.pprofPort()));

    Run run = session.runSidecar();

    assertThat(run.exit()).as(run.log()).isNotZero();
    assertThat(run.totalMs()).as("ends itself, the reserve before the timeout").isLessThan(15_000);
    assertThat(run.phases()).as(run.log()).containsSubsequence("Attached", "Armed", "Uploading", "Failed")
        .doesNotContain("Capturing");
    JsonNode report = session.report();
    assertThat(report.path("reason").asText()).isEqualTo("TriggerNeverFired");
    assertThat(report.path("message").asText()).startsWith("the trigger (goroutines above 1000000) never fired: "
        + "armed for goroutines above 1000000: ");
    assertThat(report.path("trigger").path("state").asText()).isEqualTo("NeverFired");
    assertThat(report.path("trigger").path("peak").asLong()).isPositive();
    assertThat(ContractJson.mapper().readTree(session.object("trigger.json")).path("reason").asText())
        .isEqualTo("TriggerNeverFired");
  }

  @Test
  void theAttachPauseReachesTheStatusApartFromTheBudgetedHalts() throws Exception {
    Session session = Session.create("run-attach", """
        target: {podName: demo-0, container: app, processName: %s}
        captures:
          - {kind: Goroutines, source: Delve}
        pauseBudget: 200ms
        timeout: 1m
        """.formatted(demo.name()));
    session.env().put(SidecarEnvironment.DLV, TestEnvironment.get().dlv().toString());

    Run run = session.runSidecar();

    assertThat(run.exit()).as(run.log()).isZero();
    JsonNode report = session.report();
    assertThat(report.path("attaches").asInt()).as("status.targets[].report.attaches").isEqualTo(1);
    long attachMs = report.path("attachPausedMs").asLong();
    assertThat(attachMs).as("status.targets[].report.attachPausedMs").isPositive()
        .isLessThanOrEqualTo(SessionPlanner.DEFAULT_ATTACH_PAUSE_BUDGET.toMillis());
    assertThat(report.path("pausedMs").asLong()).as("the longest halt, the attach included").isGreaterThanOrEqualTo(attachMs);
    SidecarReport full = ContractJson.mapper().readValue(session.object("report.json"), SidecarReport.class);
    assertThat(full.attachPausedMs()).isEqualTo(attachMs);
    assertThat(full.captures().get(0).pausedMs()).as("the capture's own halt").isLessThanOrEqualTo(200 + 20);
  }

  @Test
  void aTargetThatIsNotThereIsReportedFailedWithTheReason() throws Exception {
    Session session = Session.create("run-missing", """
        target: {podName: demo-0, processName: no-such-proc}
        pprof: {port: %d}
        captures:
          - {kind: Heap}
        timeout: 1m
        """.formatted(demo.pprofPort()));

    Run run = session.runSidecar();

    assertThat(run.exit()).as(run.log()).isEqualTo(ExitCode.TARGET.code());
    JsonNode report = session.report();
    assertThat(report.path("phase").asText()).isEqualTo("Failed");
    assertThat(report.path("reason").asText()).isEqualTo("NoProcess");
    assertThat(report.path("message").asText()).contains("no-such-proc");
  }

  @Test
  void aTargetKilledMidCaptureIsReportedTargetExitedAndWhatWasCapturedArrives() throws Exception {
    try (GoDemoProcess doomed = GoDemoProcess.startNamed("gs-exit-" + Long.toHexString(System.nanoTime() & 0xffffffL), 100)) {
      Session session = Session.create("run-exit", """
          target: {podName: demo-0, container: app, processName: %s}
          pprof: {port: %d}
          """.formatted(doomed.name(), doomed.pprofPort()) + TargetExitIT.CPU_PROFILE_IN_THE_MIDDLE);
      CompletableFuture<Long> killedAt = CompletableFuture.supplyAsync(() -> whenReported(session,
          "capture 2/3: CPUProfile", Duration.ofSeconds(1), () -> ProcessHandle.of(doomed.pid()).orElseThrow()
              .destroyForcibly()));

      Run run = session.runSidecar();
      long reportedMs = (System.nanoTime() - killedAt.get(5, TimeUnit.SECONDS)) / 1_000_000;

      assertThat(run.exit()).as(run.log()).isEqualTo(ExitCode.FAILED.code());
      JsonNode report = session.report();
      assertThat(report.path("phase").asText()).isEqualTo("Failed");
      assertThat(report.path("reason").asText()).isEqualTo("TargetExited");
      assertThat(report.path("message").asText()).contains("the target process " + doomed.name() + " (pid "
          + doomed.pid(), "exited during capture 2/3 (CPUProfile)");
      assertThat(report.path("artifactsFailed").asInt()).isZero();
      assertThat(report.path("artifactsUploaded").asInt()).isEqualTo(3);
      SidecarReport full = ContractJson.mapper().readValue(session.object("report.json"), SidecarReport.class);
      assertThat(full.artifacts()).extracting(SidecarReport.ArtifactRecord::name)
          .containsExactly("goroutines-1.json", "goroutines-1.pb.gz");
      for (SidecarReport.ArtifactRecord artifact : full.artifacts()) {
        assertThat(artifact.state()).isEqualTo("Uploaded");
        assertThat(SpooledFiles.sha256(session.object(artifact.name()))).as(artifact.name())
            .isEqualTo(artifact.sha256());
      }
      System.out.printf("[fault] target SIGKILLed during a CPU profile (run mode): sidecar exited and the status said "
          + "Failed/%s; the run ended %d ms after the kill (with the 500 ms the test waits for the last watch event), "
          + "%d artifact(s) uploaded; message: %s%n", report.path("reason").asText(),
          reportedMs, report.path("artifactsUploaded").asInt(), report.path("message").asText());
    }
  }

  @Test
  void aSpoolThatFillsUpIsReportedSpoolFullAndWhatWasSpooledArrives() throws Exception {
    Session session = Session.create("run-spool", """
        target: {podName: demo-0, container: app, processName: %s}
        pprof: {port: %d}
        """.formatted(demo.name(), demo.pprofPort()) + TargetExitIT.CPU_PROFILE_IN_THE_MIDDLE);
    try (Tmpfs tmpfs = Tmpfs.mount(TestEnvironment.scratchDir("spool").resolve(session.namespace() + "-tmpfs"), 20)) {
      session.env().put(SidecarEnvironment.SPOOL_DIR, tmpfs.dir().toString());
      CompletableFuture<Long> filled = CompletableFuture.supplyAsync(() -> whenReported(session,
          "capture 2/3: CPUProfile", Duration.ZERO, () -> tmpfs.fillLeaving(8 * Tmpfs.MIB)));

      Run run = session.runSidecar();
      filled.get(5, TimeUnit.SECONDS);

      assertThat(run.exit()).as(run.log()).isEqualTo(ExitCode.FAILED.code());
      JsonNode report = session.report();
      assertThat(report.path("phase").asText()).isEqualTo("Failed");
      assertThat(report.path("reason").asText()).isEqualTo("SpoolFull");
      assertThat(report.path("message").asText()).contains("CPUProfile: the spool " + tmpfs.dir() + " has only ",
          " KiB free (the sidecar keeps 16 MiB free); refusing to write cpu.pb.gz");
      assertThat(report.path("artifactsUploaded").asInt()).isEqualTo(3);
      SidecarReport full = ContractJson.mapper().readValue(session.object("report.json"), SidecarReport.class);
      assertThat(full.captures().get(2).message()).isEqualTo("not started: the spool filled up in capture 2/3 "
          + "(CPUProfile)");
      assertThat(full.artifacts()).extracting(SidecarReport.ArtifactRecord::name)
          .containsExactly("goroutines-1.json", "goroutines-1.pb.gz");
      for (SidecarReport.ArtifactRecord artifact : full.artifacts()) {
        assertThat(SpooledFiles.sha256(session.object(artifact.name()))).as(artifact.name())
            .isEqualTo(artifact.sha256());
      }
      assertThat(SpooledFiles.partials(tmpfs.dir())).isEmpty();
      assertThat(TargetState.halted(demo.pid())).isFalse();
      System.out.printf("[fault] spool full in run mode (GOPHERSCOPE_SPOOL_DIR on a 20 MiB tmpfs): status Failed/%s, "
          + "%d artifact(s) uploaded; message: %s%n", report.path("reason").asText(),
          report.path("artifactsUploaded").asInt(), report.path("message").asText());
    }
  }

  /** Something a fault test does to the pod's world. */
  @FunctionalInterface
  private interface Fault {
    void inject() throws Exception;
  }

  /** Injects {@code fault} {@code delay} after the status message shows {@code text}; returns when, in nanos. */
  private static long whenReported(Session session, String text, Duration delay, Fault fault) {
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!session.report().path("message").asText().contains(text)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the status never said '" + text + "'");
        }
        Thread.sleep(20);
      }
      Thread.sleep(delay.toMillis());
      long at = System.nanoTime();
      fault.inject();
      return at;
    } catch (Exception e) {
      throw new AssertionError("cannot inject the fault: " + e, e);
    }
  }

  /** One DebugSession in its own namespace, with the identity and uploads the operator would give its sidecar. */
  private record Session(String namespace, String name, SidecarPlan plan, Map<String, String> env) {

    static Session create(String name, String specYaml) throws Exception {
      String namespace = name + "-" + Long.toHexString(System.nanoTime() & 0xfffffL);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .serverSideApply();
      JsonNode spec = YAML.readTree(specYaml);
      GenericKubernetesResource resource = new GenericKubernetesResource();
      resource.setApiVersion("gopherscope.dev/v1alpha1");
      resource.setKind("DebugSession");
      resource.setMetadata(new ObjectMetaBuilder().withName(name)
          .withNamespace(namespace).build());
      resource.setAdditionalProperty("spec", YAML.convertValue(spec, Map.class));
      GenericKubernetesResource created = client.genericKubernetesResources("gopherscope.dev/v1alpha1", "DebugSession")
          .inNamespace(namespace).resource(resource).create();
      SidecarPlan plan = SessionPlanner.plan(spec, new SessionRef(namespace, name, created.getMetadata().getUid()), POD,
          "app", Instant.now().plus(SessionPlanner.timeout(spec)));
      Map<String, String> env = new HashMap<>();
      env.put(SidecarEnvironment.PLAN, ContractJson.mapper().writeValueAsString(plan));
      env.put(SidecarEnvironment.API_SERVER, api.serverUrl());
      env.put(SidecarEnvironment.API_CA, api.caPem());
      env.put(SidecarEnvironment.TOKEN, token(namespace, name));
      env.put(SidecarEnvironment.UPLOADS, ContractJson.mapper().writeValueAsString(presign(namespace, name, plan)));
      env.put(SidecarEnvironment.SPOOL_DIR, TestEnvironment.scratchDir("spool").resolve(namespace).toString());
      return new Session(namespace, name, plan, env);
    }

    /** As SessionCredentials does: a ServiceAccount that may patch only this session's status, and a bound token. */
    private static String token(String namespace, String name) {
      String account = name + "-sidecar";
      client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
          .withName(account).endMetadata().withAutomountServiceAccountToken(false).build()).serverSideApply();
      client.rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata().withName(account)
          .endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("gopherscope.dev")
              .withResources("debugsessions/status").withResourceNames(name).withVerbs("patch").build())
          .build()).serverSideApply();
      client.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata()
          .withName(account).endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", account)
          .addNewSubject().withKind("ServiceAccount").withName(account).withNamespace(namespace).endSubject()
          .build()).serverSideApply();
      Secret secret = client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
          .withName(account + "-" + POD).endMetadata().withType("Opaque").build()).create();
      return client.serviceAccounts().inNamespace(namespace).withName(account).tokenRequest(new TokenRequestBuilder()
          .withNewSpec().withExpirationSeconds(600L).withNewBoundObjectRef().withApiVersion("v1").withKind("Secret")
          .withName(secret.getMetadata().getName()).withUid(secret.getMetadata().getUid()).endBoundObjectRef()
          .endSpec().build()).getStatus().getToken();
    }

    private static Map<String, String> presign(String namespace, String name, SidecarPlan plan) {
      Map<String, String> urls = new LinkedHashMap<>();
      try (S3Presigner presigner = S3Presigner.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
              s3.secretKey())))
          .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
        for (SidecarPlan.PlannedArtifact artifact : plan.artifacts()) {
          urls.put(artifact.name(), presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(10))
              .putObjectRequest(r -> r.bucket(BUCKET).key(key(namespace, name, artifact.name()))
                  .contentType(artifact.contentType()))).url().toString());
        }
      }
      return urls;
    }

    private static String key(String namespace, String name, String artifact) {
      return namespace + "/" + name + "/" + POD + "/" + artifact;
    }

    byte[] object(String artifact) {
      return s3Client.getObjectAsBytes(g -> g.bucket(BUCKET).key(key(namespace, name, artifact))).asByteArray();
    }

    /** This pod's entry of status.targets[].report. */
    JsonNode report() {
      return reportOf(client.genericKubernetesResources("gopherscope.dev/v1alpha1", "DebugSession")
          .inNamespace(namespace).withName(name).get());
    }

    static JsonNode reportOf(GenericKubernetesResource session) {
      Object status = session == null ? null : session.getAdditionalProperties().get("status");
      if (status != null) {
        for (JsonNode target : ContractJson.mapper().valueToTree(status).path("targets")) {
          if (POD.equals(target.path("pod").asText())) {
            return target.path("report");
          }
        }
      }
      return ContractJson.mapper().missingNode();
    }

    /** Starts the sidecar, watching the status and the sidecar's memory until it exits. */
    Run runSidecar() throws Exception {
      List<String> phases = new CopyOnWriteArrayList<>();
      long[] firstReportNanos = {0};
      long started = System.nanoTime();
      try (Watch watch = client.genericKubernetesResources("gopherscope.dev/v1alpha1", "DebugSession")
          .inNamespace(namespace).withName(name).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
              String phase = reportOf(resource).path("phase").asText("");
              if (!phase.isEmpty() && (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase))) {
                if (phases.isEmpty()) {
                  firstReportNanos[0] = System.nanoTime();
                }
                phases.add(phase);
              }
            }

            @Override
            public void onClose(WatcherException cause) {
              // The test reads the final state directly; the watch only records the way there.
            }
          })) {
        ManagedProcess sidecar = SidecarJvm.start("sidecar-" + name, List.of("run"), env);
        long peakRss = 0;
        while (sidecar.isAlive()) {
          peakRss = Math.max(peakRss, rssKiB(sidecar.pid()));
          Thread.sleep(10);
        }
        int exit = sidecar.process().exitValue();
        long total = (System.nanoTime() - started) / 1_000_000;
        Thread.sleep(500); // let the last watch event arrive
        return new Run(exit, new ArrayList<>(phases), Files.readString(sidecar.logFile()),
            firstReportNanos[0] == 0 ? -1 : (firstReportNanos[0] - started) / 1_000_000, peakRss, total);
      }
    }

    private static long rssKiB(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("VmHWM:")) {
            return Long.parseLong(line.replaceAll("\\D", ""));
          }
        }
      } catch (Exception e) {
        // exited between the liveness check and the read
      }
      return 0;
    }
  }

  private record Run(int exit, List<String> phases, String log, long firstReportMs, long peakRssKiB, long totalMs) {
  }
}
