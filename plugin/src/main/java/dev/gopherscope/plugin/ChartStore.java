package dev.gopherscope.plugin;

import dev.gopherscope.sidecar.app.AwsSigV4;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The chart's embedded object store (objectStore.embedded.enabled=true), reached through the API
 * server with nothing but the kubeconfig: a port-forward to the s3proxy pod, signed with the
 * credentials the chart's Secret holds. The user needs {@code get} on that Secret and
 * {@code create pods/portforward} in the release namespace; nothing signed is ever published.
 */
final class ChartStore implements ArtifactStore {

  private static final String COMPONENT = "app.kubernetes.io/component";

  private final LocalPortForward forward;
  private final S3Store store;

  private ChartStore(LocalPortForward forward, S3Store store) {
    this.forward = forward;
    this.store = store;
  }

  static ChartStore open(KubernetesClient client, String namespace) {
    List<Deployment> stores = client.apps().deployments().inNamespace(namespace).withLabel(COMPONENT, "object-store")
        .list().getItems();
    if (stores.isEmpty()) {
      throw new UserError("no embedded object store in namespace " + namespace + " (the chart's "
          + "objectStore.embedded.enabled is off): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and --s3-endpoint) "
          + "to read your store, or --store-namespace for another release");
    }
    Deployment deployment = stores.get(0);
    Container s3proxy = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    int port = s3proxy.getPorts().get(0).getContainerPort();
    String accessKey = secretValue(client, namespace, s3proxy, "S3PROXY_IDENTITY");
    String secretKey = secretValue(client, namespace, s3proxy, "S3PROXY_CREDENTIAL");
    Pod pod = client.pods().inNamespace(namespace).withLabels(deployment.getSpec().getSelector().getMatchLabels())
        .list().getItems().stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .findFirst().orElseThrow(() -> new UserError("object store unreachable: the embedded store's pod ("
            + deployment.getMetadata().getName() + " in " + namespace + ") is not running"));
    LocalPortForward forward = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName())
        .portForward(port);
    URI endpoint = URI.create("http://127.0.0.1:" + forward.getLocalPort());
    AwsSigV4 signer = new AwsSigV4(new AwsSigV4.Credentials(accessKey, secretKey, Optional.empty()), "us-east-1", "s3");
    return new ChartStore(forward, new S3Store(endpoint, signer,
        "the embedded store (pod " + namespace + "/" + pod.getMetadata().getName() + ", port-forwarded)"));
  }

  private static String secretValue(KubernetesClient client, String namespace, Container container, String env) {
    EnvVar var = container.getEnv().stream().filter(e -> e.getName().equals(env)).findFirst()
        .orElseThrow(() -> new UserError("the embedded store's container has no " + env));
    var ref = var.getValueFrom().getSecretKeyRef();
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(ref.getKey())) {
      throw new UserError("no key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName()
          + " (the embedded store's credentials)");
    }
    return new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
  }

  @Override
  public InputStream open(String bucket, String key) throws IOException {
    return store.open(bucket, key);
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public void close() {
    try {
      forward.close();
    } catch (IOException e) {
      // the process is about to end; a port-forward left half-closed goes with it
    }
  }
}
