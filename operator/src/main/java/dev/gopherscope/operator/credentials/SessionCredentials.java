package dev.gopherscope.operator.credentials;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SidecarEnvironment;
import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.operator.SessionNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-session identity and secrets a sidecar gets (DESIGN invariant 4): a ServiceAccount whose
 * Role may only patch this session's status, and per target a Secret owned by the session with a
 * short-lived token bound to that Secret and presigned upload URLs, which the debugger container
 * references with {@code secretKeyRef}.
 */
public final class SessionCredentials {

  private final KubernetesClient client;
  private final ObjectStore store;
  private final String apiCaPem;

  public SessionCredentials(KubernetesClient client, ObjectStore store, String apiCaPem) {
    this.client = client;
    this.store = store;
    this.apiCaPem = apiCaPem;
  }

  /**
   * Creates the ServiceAccount, Role and RoleBinding once; later calls find them. The Role lets
   * the sidecars patch this session's status and, when {@code readsDebugInfo} (the session uses
   * Delve), read the session's debug-info Secret ({@link DebugInfoBroker}), nothing else.
   */
  public void ensureIdentity(DebugSession session, boolean readsDebugInfo) {
    String namespace = session.getMetadata().getNamespace();
    String name = SessionNames.serviceAccount(session);
    client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
        .withMetadata(owned(session, name)).withAutomountServiceAccountToken(false).build()).serverSideApply();
    client.rbac().roles().inNamespace(namespace).resource(new RoleBuilder()
        .withMetadata(owned(session, SessionNames.role(session)))
        .withRules(rules(session, readsDebugInfo))
        .build()).serverSideApply();
    client.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder()
        .withMetadata(owned(session, SessionNames.role(session)))
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", SessionNames.role(session))
        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(namespace).endSubject()
        .build()).serverSideApply();
  }

  private static List<PolicyRule> rules(DebugSession session, boolean readsDebugInfo) {
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(new PolicyRuleBuilder()
        .withApiGroups(DebugSession.GROUP)
        .withResources("debugsessions/status")
        .withResourceNames(session.getMetadata().getName())
        .withVerbs("patch")
        .build());
    if (readsDebugInfo) {
      rules.add(new PolicyRuleBuilder()
          .withApiGroups("")
          .withResources("secrets")
          .withResourceNames(SessionNames.debugInfoSecret(session))
          .withVerbs("get")
          .build());
    }
    return rules;
  }

  /**
   * Creates the Secret of one target (upload URLs, API CA, and a token bound to that Secret), unless
   * it exists: a restarted operator must not mint a second set for a pod it already injected.
   *
   * <p>The token cannot be bound to the target pod: the API server binds a token to a pod only for
   * the ServiceAccount the pod runs as, which is the app's, and granting the app's own identity
   * rights on the session would hand them to the app. Binding to the per-target Secret gives the
   * same revocation: the operator deletes the Secret when the pod goes or the session ends.
   */
  public void ensureTargetSecret(DebugSession session, Pod pod, SidecarPlan plan, String bucket, String keyPrefix,
      Duration validFor) {
    String namespace = session.getMetadata().getNamespace();
    String podName = pod.getMetadata().getName();
    String name = SessionNames.targetSecret(session, podName);
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    if (existing != null && existing.getData() != null && existing.getData().containsKey(SidecarEnvironment.TOKEN_KEY)) {
      return;
    }
    Map<String, String> uploads = new LinkedHashMap<>();
    for (SidecarPlan.PlannedArtifact artifact : plan.artifacts()) {
      uploads.put(artifact.name(), store.presignPut(bucket, keyPrefix + podName + "/" + artifact.name(),
          artifact.contentType(), validFor).toString());
    }
    Map<String, String> data = new HashMap<>();
    data.put(SidecarEnvironment.UPLOADS_KEY, encode(json(uploads)));
    if (apiCaPem != null) {
      data.put(SidecarEnvironment.CA_KEY, encode(apiCaPem));
    }
    ObjectMeta metadata = owned(session, name);
    metadata.getLabels().put(SessionNames.POD_LABEL, podName);
    Secret secret = existing != null ? existing : client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withMetadata(metadata).withType("Opaque").withData(data).build()).create();
    data.put(SidecarEnvironment.TOKEN_KEY, encode(boundToken(session, secret, validFor)));
    client.secrets().inNamespace(namespace).resource(new SecretBuilder(secret).withData(data).build()).update();
  }

  private String boundToken(DebugSession session, Secret secret, Duration validFor) {
    TokenRequest request = new TokenRequestBuilder().withNewSpec()
        .withExpirationSeconds(Math.max(600L, validFor.toSeconds()))
        .withNewBoundObjectRef().withApiVersion("v1").withKind("Secret")
        .withName(secret.getMetadata().getName()).withUid(secret.getMetadata().getUid()).endBoundObjectRef()
        .endSpec().build();
    return client.serviceAccounts().inNamespace(session.getMetadata().getNamespace())
        .withName(SessionNames.serviceAccount(session)).tokenRequest(request).getStatus().getToken();
  }

  /** Revokes one target's token (its pod is gone) by deleting the Secret it is bound to. */
  public void revokeTarget(DebugSession session, String pod) {
    client.secrets().inNamespace(session.getMetadata().getNamespace())
        .withName(SessionNames.targetSecret(session, pod)).delete();
  }

  /**
   * Revokes every target's token and upload URLs of a finished session by deleting the Secrets
   * they are bound to: once the session is over no sidecar needs them, and the tokens' expiry
   * (timeout + report deadline + 1 min, at least 10 min) is only the backstop for when the operator is not there to do this.
   */
  public void revokeTargets(DebugSession session) {
    client.secrets().inNamespace(session.getMetadata().getNamespace())
        .withLabel(SessionNames.SESSION_LABEL, session.getMetadata().getName())
        .withLabel(SessionNames.SESSION_UID_LABEL, session.getMetadata().getUid()).delete();
  }

  /** Deletes everything {@link #ensureIdentity} and {@link #ensureTargetSecret} created. */
  public void delete(DebugSession session) {
    String namespace = session.getMetadata().getNamespace();
    revokeTargets(session);
    client.rbac().roleBindings().inNamespace(namespace).withName(SessionNames.role(session)).delete();
    client.rbac().roles().inNamespace(namespace).withName(SessionNames.role(session)).delete();
    client.serviceAccounts().inNamespace(namespace).withName(SessionNames.serviceAccount(session)).delete();
  }

  /** Metadata owned by the session, so a cluster's garbage collector also removes it. */
  static ObjectMeta owned(HasMetadata session, String name) {
    OwnerReference owner = new OwnerReferenceBuilder()
        .withApiVersion(session.getApiVersion()).withKind(session.getKind())
        .withName(session.getMetadata().getName()).withUid(session.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(false).build();
    return new ObjectMetaBuilder().withName(name).withNamespace(session.getMetadata().getNamespace())
        .addToLabels(SessionNames.SESSION_LABEL, session.getMetadata().getName())
        .addToLabels(SessionNames.SESSION_UID_LABEL, session.getMetadata().getUid())
        .addToLabels(SessionNames.MANAGED_BY_LABEL, SessionNames.MANAGED_BY)
        .withOwnerReferences(owner).build();
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String json(Object value) {
    try {
      return ContractJson.mapper().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
