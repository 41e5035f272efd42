package dev.gopherscope.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Injects the real components into test constructors and methods: {@link KubernetesApiServer},
 * an admin {@link KubernetesClient}, {@link S3Server} and an {@link S3Client} for it. The servers
 * start once per test run and stop when the run ends (they live in the root store, which closes
 * them); clients are closed when the test or class that asked for them ends.
 */
public final class RealComponentsExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealComponentsExtension.class);
  private static final Set<Class<?>> SUPPORTED =
      Set.of(KubernetesApiServer.class, KubernetesClient.class, S3Server.class, S3Client.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return SUPPORTED.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == KubernetesApiServer.class) {
      return kubernetes(context);
    }
    if (type == S3Server.class) {
      return s3(context);
    }
    if (type == KubernetesClient.class) {
      return context.getStore(NAMESPACE).getOrComputeIfAbsent(KubernetesClient.class,
          k -> new ClosingClient<>(kubernetes(context).newClient()), ClosingClient.class).client();
    }
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(S3Client.class,
        k -> new ClosingClient<>(s3(context).newClient()), ClosingClient.class).client();
  }

  private static KubernetesApiServer kubernetes(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(KubernetesApiServer.class, k -> KubernetesApiServer.shared(), KubernetesApiServer.class);
  }

  private static S3Server s3(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(S3Server.class, k -> S3Server.shared(), S3Server.class);
  }

  /** Lets the store close a client when its context ends. */
  private record ClosingClient<T extends AutoCloseable>(T client) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      client.close();
    }
  }
}
