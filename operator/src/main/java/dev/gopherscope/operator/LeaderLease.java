package dev.gopherscope.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's name in the leader Lease, and handing the Lease over when it stops. JOSDK does not
 * release the Lease on stop, so after every rolling update (helm upgrade) the new replica waited
 * out the whole lease duration before reconciling anything (11-15 s measured on the node) while
 * new sessions sat Pending. Released here as client-go's ReleaseOnCancel does: no holder, a lease
 * of one second, so a standby takes it at its next retry.
 */
final class LeaderLease {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderLease.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;

  LeaderLease(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    // The pod's name says which replica holds it; the suffix keeps two processes that share a host
    // name (hostNetwork, or tests in one JVM) from both believing they hold it.
    String host = System.getenv("HOSTNAME");
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    this.identity = host == null || host.isBlank() ? suffix : host + "_" + suffix;
  }

  String identity() {
    return identity;
  }

  String namespace() {
    return namespace;
  }

  /** Empties the Lease if this replica holds it; call only once reconciling has stopped. */
  void release() {
    try {
      client.leases().inNamespace(namespace).withName(OperatorMain.LEASE_NAME).edit(lease -> {
        if (lease.getSpec() != null && identity.equals(lease.getSpec().getHolderIdentity())) {
          lease.getSpec().setHolderIdentity(null);
          lease.getSpec().setLeaseDurationSeconds(1);
          lease.getSpec().setRenewTime(ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS));
          LOG.info("released the leader lease {}/{} for the next replica", namespace, OperatorMain.LEASE_NAME);
        }
        return lease;
      });
    } catch (KubernetesClientException e) {
      // Not fatal: the next leader then waits for the lease to expire, as before.
      LOG.warn("could not release the leader lease {}/{}: {}", namespace, OperatorMain.LEASE_NAME, e.getMessage());
    }
  }
}
