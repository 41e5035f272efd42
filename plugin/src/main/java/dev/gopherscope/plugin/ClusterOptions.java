package dev.gopherscope.plugin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which cluster and namespace, read as kubectl reads them (KUBECONFIG, the current context). */
final class ClusterOptions {

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig to use (default: $KUBECONFIG or ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context to use.")
  String context;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The namespace (default: the context's).")
  String namespace;

  private Config config;
  private KubernetesClient client;

  Config config() {
    if (config == null) {
      if (kubeconfig != null) {
        if (!Files.isReadable(kubeconfig)) {
          throw new UserError("cannot read kubeconfig " + kubeconfig);
        }
        config = Config.fromKubeconfig(context, kubeconfig.toFile());
      } else {
        config = Config.autoConfigure(context);
      }
      // A CLI should answer or fail in seconds, not retry for minutes.
      config.setRequestRetryBackoffLimit(1);
      config.setConnectionTimeout(10_000);
      // HTTP/1.1: the API server answers a refused credential with 401 and, over HTTP/2, a GOAWAY;
      // the JDK 17 client then fails the request with "GOAWAY received" and the 401 is lost, so a
      // user with an expired token would be told nothing they can act on.
      config.setHttp2Disable(true);
    }
    return config;
  }

  String namespace() {
    if (namespace != null) {
      return namespace;
    }
    String fromContext = config().getNamespace();
    return fromContext == null || fromContext.isBlank() ? "default" : fromContext;
  }

  /** One client for the command's life; the process exits when the command is done. */
  KubernetesClient client() {
    if (client == null) {
      client = new KubernetesClientBuilder().withConfig(config()).build();
    }
    return client;
  }
}
