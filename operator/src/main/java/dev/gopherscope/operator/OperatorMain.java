package dev.gopherscope.operator;

import dev.gopherscope.operator.config.OperatorConfig;
import dev.gopherscope.operator.config.OperatorConfigLoader;
import dev.gopherscope.operator.credentials.ObjectStore;
import dev.gopherscope.operator.preflight.PodMemory;
import dev.gopherscope.operator.preflight.PreflightChecks;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the operator: configuration, client, metrics endpoint, the one reconciler. */
public final class OperatorMain implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);
  static final String LEASE_NAME = "gopherscope-operator";

  private final Operator operator;
  private final MetricsServer metricsServer;
  private final ObjectStore store;
  private final LeaderLease lease;

  private OperatorMain(Operator operator, MetricsServer metricsServer, ObjectStore store, LeaderLease lease) {
    this.operator = operator;
    this.metricsServer = metricsServer;
    this.store = store;
    this.lease = lease;
  }

  public static void main(String[] args) throws Exception {
    OperatorMain main = start(OperatorConfigLoader.fromEnvironment(), new KubernetesClientBuilder().build());
    Runtime.getRuntime().addShutdownHook(new Thread(main::close, "operator-stop"));
  }

  /** Starts an operator on {@code client}; the caller closes it (tests run several in one JVM). */
  public static OperatorMain start(OperatorConfig config, KubernetesClient client) throws Exception {
    LOG.info("starting gopherscope operator: sidecar image {}, object store {}", config.sidecarImage(),
        config.objectStore());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    ObjectStore store = new ObjectStore(config.objectStore());
    SessionMetrics metrics = new SessionMetrics(registry);
    DebugSessionReconciler reconciler = new DebugSessionReconciler(client, config, store,
        new PreflightChecks(config, new PodMemory(client)), metrics, Clock.systemUTC());
    LeaderLease lease = config.leaderElectionNamespace().map(namespace -> new LeaderLease(client, namespace))
        .orElse(null);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build())
          .withCloseClientOnStop(false);
      // With several replicas only the lease holder reconciles; the others stand by. JOSDK's short
      // constructors exit the JVM when leadership stops, which on SIGTERM runs System.exit inside a
      // shutdown hook (the JVM then hangs until SIGKILL): stop leading without exiting instead.
      if (lease != null) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, lease.namespace(),
            Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), lease.identity(), null, false));
      }
    });
    operator.register(reconciler);
    MetricsServer metricsServer = new MetricsServer(config.metricsPort(), registry,
        () -> operator.getRuntimeInfo().allEventSourcesAreHealthy());
    operator.start();
    LOG.info("gopherscope operator started; metrics on :{}/metrics", metricsServer.port());
    return new OperatorMain(operator, metricsServer, store, lease);
  }

  /** This replica's name in the leader Lease, when leader election is on. */
  public Optional<String> leaseIdentity() {
    return Optional.ofNullable(lease).map(LeaderLease::identity);
  }

  public int metricsPort() {
    return metricsServer.port();
  }

  @Override
  public void close() {
    operator.stop();
    if (lease != null) {
      lease.release();
    }
    metricsServer.close();
    store.close();
  }
}
