package dev.gopherscope.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a session's artifacts come from and where they are kept, for every verb that reads them. */
final class ArtifactOptions {

  @Mixin
  StoreOptions store = new StoreOptions();

  @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "gopherscope",
      description = "Where artifacts are kept: DIR/<session>/<pod>/ (default ./gopherscope).")
  Path outDir = Path.of("gopherscope");

  Path sessionDir(String session) {
    return outDir.resolve(session);
  }

  /** The store, opened (credentials read, port-forward started) only if a file must be fetched. */
  ArtifactStore store(KubernetesClient client) {
    return new LazyStore(() -> ArtifactStore.open(store, client));
  }
}
