package dev.gopherscope.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the test environment's API server is a real one: versioned, persistent, watchable. */
@ExtendWith(RealComponentsExtension.class)
class KubernetesApiServerIT {

  @Test
  void createsWatchesAndReadsBackAConfigMap(KubernetesClient client) throws Exception {
    VersionInfo version = client.getKubernetesVersion();
    assertThat(version.getGitVersion()).isEqualTo("v" + TestEnvironment.get().kubernetesVersion());

    String namespace = "it-apiserver-" + System.nanoTime();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();

    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch modified = new CountDownLatch(1);
    try (var watch = client.configMaps().inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap resource) {
        events.add(action + ":" + resource.getData().get("phase"));
        if (action == Action.MODIFIED) {
          modified.countDown();
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
          .withNewMetadata().withName("probe").endMetadata()
          .addToData("phase", "created").build()).create();
      client.configMaps().inNamespace(namespace).withName("probe")
          .edit(cm -> new ConfigMapBuilder(cm).addToData("phase", "updated").build());
      assertThat(modified.await(30, TimeUnit.SECONDS)).as("watch saw the update").isTrue();
    }
    assertThat(events).containsSubsequence("ADDED:created", "MODIFIED:updated");

    ConfigMap readBack = client.configMaps().inNamespace(namespace).withName("probe").get();
    assertThat(readBack.getData()).containsEntry("phase", "updated");
    assertThat(readBack.getMetadata().getResourceVersion()).isNotBlank();

    client.namespaces().withName(namespace).delete();
  }

  @Test
  void servesTheApisTheOperatorNeeds(KubernetesClient client) {
    assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName())
        .contains("admissionregistration.k8s.io", "apiextensions.k8s.io", "rbac.authorization.k8s.io");
    assertThat(client.getApiResources("v1").getResources()).extracting(r -> r.getName())
        .contains("pods/ephemeralcontainers", "serviceaccounts/token");
  }
}
