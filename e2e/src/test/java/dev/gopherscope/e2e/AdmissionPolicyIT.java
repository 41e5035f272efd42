package dev.gopherscope.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.HelmCli;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.RealComponentsExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DESIGN invariant 3 against the real API server, with the chart's own ValidatingAdmissionPolicy:
 * creating a DebugSession is allowed only to someone who may patch pods/ephemeralcontainers in
 * that namespace. Two users, both allowed by RBAC to create sessions; only one may also add
 * ephemeral containers, and only that one gets a session through.
 */
@ExtendWith(RealComponentsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionPolicyIT {

  /** Plenty for the API server to load a new policy (in practice about a second). */
  private static final Duration POLICY_TAKES_EFFECT = Duration.ofSeconds(15);
  private static final String CREATOR_ONLY = "mallory";
  private static final String DEBUGGER = "dana";

  private KubernetesApiServer server;
  private KubernetesClient admin;
  private HelmCli helm;

  @BeforeAll
  void setUp(KubernetesApiServer server, KubernetesClient admin) {
    this.server = server;
    this.admin = admin;
    this.helm = HelmCli.pinned();
    DebugSessionCrd.install(admin);
  }

  @Test
  void onlyUsersWhoMayAddEphemeralContainersCreateSessions() {
    String namespace = grantUsers("adm-policy");
    List<HasMetadata> policy = installPolicy("adm-policy");
    try {
      KubernetesClientException refusal = awaitRefusal(policy, CREATOR_ONLY, namespace, "first");
      assertThat(refusal.getCode()).isEqualTo(403);
      assertThat(refusal.getStatus().getMessage())
          .contains("ValidatingAdmissionPolicy 'adm-policy-gopherscope-debugsession-creator'")
          .contains("user mallory may not create a DebugSession in namespace adm-policy: it injects a debugger into"
              + " pods, so it needs permission to patch pods/ephemeralcontainers in adm-policy, which this user lacks");

      // The policy is in force now: the same request is refused every time, not by a race.
      assertThatThrownBy(() -> createAs(CREATOR_ONLY, namespace, "second"))
          .isInstanceOf(KubernetesClientException.class).hasMessageContaining("user mallory may not create");

      DebugSession admitted = createAs(DEBUGGER, namespace, "by-dana");
      assertThat(admitted.getMetadata().getUid()).isNotBlank();
      assertThat(admin.resources(DebugSession.class).inNamespace(namespace).withName("by-dana").get()).isNotNull();
      assertThat(admin.resources(DebugSession.class).inNamespace(namespace).withName("first").get())
          .as("nothing of mallory's got through").isNull();
    } finally {
      policy.forEach(o -> admin.resource(o).delete());
    }
  }

  @Test
  void exemptNamespacesSkipTheCheckOnlyThere() {
    String exempt = grantUsers("adm-exempt");
    String checked = grantUsers("adm-checked");
    List<HasMetadata> policy = installPolicy("adm-exemption", "--set", "admissionPolicy.exemptNamespaces={adm-exempt}");
    try {
      awaitRefusal(policy, CREATOR_ONLY, checked, "refused");
      // Another test's policy may still be unloading: wait until only this one decides.
      DebugSession admitted = awaitAdmission(CREATOR_ONLY, exempt, "exempted");
      assertThat(admitted.getMetadata().getNamespace()).isEqualTo(exempt);
    } finally {
      policy.forEach(o -> admin.resource(o).delete());
    }
  }

  /** The chart's policy and binding, as {@code helm template} renders them for release {@code release}. */
  private List<HasMetadata> installPolicy(String release, String... values) {
    List<String> args = new ArrayList<>(List.of("--show-only", "templates/admission-policy.yaml"));
    args.addAll(List.of(values));
    List<HasMetadata> objects = RenderedChart.render(helm, admin, release, "gopherscope-system",
        args.toArray(String[]::new)).objects();
    assertThat(objects).extracting(HasMetadata::getKind)
        .containsExactly("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    objects.forEach(o -> admin.resource(o).fieldManager("admission-policy-it").forceConflicts().serverSideApply());
    return objects;
  }

  /**
   * A namespace where both users may create DebugSessions, and only {@link #DEBUGGER} may also
   * patch pods/ephemeralcontainers (what {@code kubectl debug} needs).
   */
  private String grantUsers(String namespace) {
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    admin.rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata()
        .withName("debugsession-creator").endMetadata()
        .addNewRule().withApiGroups("gopherscope.dev").withResources("debugsessions")
        .withVerbs("create", "get").endRule().build()).serverSideApply();
    admin.rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata()
        .withName("ephemeral-debugger").endMetadata()
        .addNewRule().withApiGroups("").withResources("pods/ephemeralcontainers").withVerbs("patch").endRule()
        .build()).serverSideApply();
    bind(namespace, "debugsession-creator", CREATOR_ONLY, DEBUGGER);
    bind(namespace, "ephemeral-debugger", DEBUGGER);
    return namespace;
  }

  private void bind(String namespace, String role, String... users) {
    RoleBindingBuilder binding = new RoleBindingBuilder().withNewMetadata().withName(role).endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", role);
    for (String user : users) {
      binding.addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user).endSubject();
    }
    admin.rbac().roleBindings().inNamespace(namespace).resource(binding.build()).serverSideApply();
  }

  /**
   * Creates a session as {@code user} until {@code policy} refuses it, and returns that refusal.
   * Until the API server has loaded the policy, the session is admitted (and deleted again here), or
   * refused by a policy another test deleted a moment ago that the API server still enforces.
   */
  private KubernetesClientException awaitRefusal(List<HasMetadata> policy, String user, String namespace, String name) {
    String policyName = "ValidatingAdmissionPolicy '" + policy.get(0).getMetadata().getName() + "'";
    long started = System.nanoTime();
    long deadline = started + POLICY_TAKES_EFFECT.toNanos();
    int admitted = 0;
    while (true) {
      try {
        createAs(user, namespace, name);
        admitted++;
        // Admitted before the API server loaded the policy: undo it and ask again.
        admin.resources(DebugSession.class).inNamespace(namespace).withName(name).withGracePeriod(0).delete();
        admin.resources(DebugSession.class).inNamespace(namespace).withName(name)
            .waitUntilCondition(s -> s == null, 10, TimeUnit.SECONDS);
      } catch (KubernetesClientException e) {
        assertThat(e.getCode()).as("refused by admission, not by RBAC or validation: %s", e.getMessage())
            .isEqualTo(403);
        assertThat(e.getMessage()).contains("ValidatingAdmissionPolicy");
        if (e.getMessage().contains(policyName)) {
          System.out.printf("[e2e] %s in force %d ms after it was applied (admitted %d request(s) before)%n",
              policyName, (System.nanoTime() - started) / 1_000_000, admitted);
          return e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(policyName + " still does not refuse " + user + "'s DebugSession in " + namespace
            + " " + POLICY_TAKES_EFFECT.toSeconds() + " s after it was created");
      }
      pause();
    }
  }

  private DebugSession awaitAdmission(String user, String namespace, String name) {
    long deadline = System.nanoTime() + POLICY_TAKES_EFFECT.toNanos();
    while (true) {
      try {
        return createAs(user, namespace, name);
      } catch (KubernetesClientException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(user + "'s DebugSession in " + namespace + " is still refused "
              + POLICY_TAKES_EFFECT.toSeconds() + " s on: " + e.getMessage(), e);
        }
      }
      pause();
    }
  }

  /** Creates a minimal valid session as {@code user}, by impersonation. */
  private DebugSession createAs(String user, String namespace, String name) {
    Config config = Config.fromKubeconfig(server.kubeconfigYaml());
    config.setImpersonateUsername(user);
    config.setImpersonateGroups("gopherscope-it:people");
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      DebugSession session = client.resources(DebugSession.class).load(new ByteArrayInputStream("""
          apiVersion: gopherscope.dev/v1alpha1
          kind: DebugSession
          metadata: {name: NAME}
          spec:
            target: {podName: checkout-0, container: app}
            pprof: {port: 6060}
            captures:
              - {kind: Goroutines}
          """.replace("NAME", name).getBytes(StandardCharsets.UTF_8))).item();
      return client.resources(DebugSession.class).inNamespace(namespace).resource(session).create();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
