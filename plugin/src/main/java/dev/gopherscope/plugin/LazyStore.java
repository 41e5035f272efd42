package dev.gopherscope.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/** Opens the real store (a port-forward, credentials) only when a file is not already here. */
final class LazyStore implements ArtifactStore {

  private final Supplier<ArtifactStore> opener;
  private ArtifactStore store;

  LazyStore(Supplier<ArtifactStore> opener) {
    this.opener = opener;
  }

  private ArtifactStore store() {
    if (store == null) {
      store = opener.get();
    }
    return store;
  }

  @Override
  public InputStream open(String bucket, String key) throws IOException {
    return store().open(bucket, key);
  }

  @Override
  public String describe() {
    return store == null ? "the object store" : store.describe();
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
