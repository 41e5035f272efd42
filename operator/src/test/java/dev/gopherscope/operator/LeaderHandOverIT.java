package dev.gopherscope.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.operator.config.OperatorConfigLoader;
import dev.gopherscope.testsupport.DebugSessionCrd;
import dev.gopherscope.testsupport.KubernetesApiServer;
import dev.gopherscope.testsupport.RealComponentsExtension;
import dev.gopherscope.testsupport.S3Server;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two replicas, as the chart runs them with leader election: when the leader stops (a rolling
 * update, a drained node) it hands the Lease over, and the standby reconciles at its next retry
 * instead of after the lease expires.
 */
@ExtendWith(RealComponentsExtension.class)
class LeaderHandOverIT {

  private static final String NS = "lease-handover";

  @Test
  void aStoppingLeaderHandsTheLeaseToTheStandby(KubernetesApiServer server, KubernetesClient client, S3Server s3)
      throws Exception {
    DebugSessionCrd.install(client);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    Map<String, String> env = new HashMap<>(OperatorHarness.environment(server, s3));
    env.put("GOPHERSCOPE_LEADER_ELECTION_NAMESPACE", NS);

    OperatorMain first = OperatorMain.start(OperatorConfigLoader.load(env), server.newClient());
    String firstId = first.leaseIdentity().orElseThrow();
    awaitHolder(client, firstId);
    try (OperatorMain second = OperatorMain.start(OperatorConfigLoader.load(env), server.newClient())) {
      String secondId = second.leaseIdentity().orElseThrow();
      assertThat(secondId).isNotEqualTo(firstId);
      assertThat(lease(client).getSpec().getHolderIdentity()).as("the first keeps it while it runs").isEqualTo(firstId);

      long stopped = System.nanoTime();
      first.close();
      assertThat(lease(client).getSpec().getHolderIdentity()).as("released on stop").isNotEqualTo(firstId);
      awaitHolder(client, secondId);
      long tookMs = (System.nanoTime() - stopped) / 1_000_000;
      System.out.printf("[lease] %s stopped; %s led %d ms later (lease duration 15 s)%n", firstId, secondId, tookMs);

      // The new leader reconciles: a session for a pod that does not exist gets its answer.
      DebugSession session = new KubernetesSerialization().unmarshal("""
          apiVersion: gopherscope.dev/v1alpha1
          kind: DebugSession
          metadata: {name: after-handover, namespace: %s}
          spec:
            target: {podName: no-such-pod}
            captures: [{kind: Goroutines}]
          """.formatted(NS), DebugSession.class);
      client.resource(session).create();
      client.resources(DebugSession.class).inNamespace(NS).withName("after-handover").waitUntilCondition(
          s -> s.getStatus() != null && s.getStatus().getPhase() != null, 30, TimeUnit.SECONDS);
      client.resources(DebugSession.class).inNamespace(NS).withName("after-handover").delete();
      client.resources(DebugSession.class).inNamespace(NS).withName("after-handover").waitUntilCondition(
          java.util.Objects::isNull, 30, TimeUnit.SECONDS);
    }
  }

  private static Lease lease(KubernetesClient client) {
    return client.leases().inNamespace(NS).withName(OperatorMain.LEASE_NAME).get();
  }

  private static void awaitHolder(KubernetesClient client, String identity) {
    client.leases().inNamespace(NS).withName(OperatorMain.LEASE_NAME).waitUntilCondition(
        l -> l != null && identity.equals(l.getSpec().getHolderIdentity()), 60, TimeUnit.SECONDS);
  }
}
