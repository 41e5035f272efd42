package dev.gopherscope.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.testsupport.HelmCli;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What {@code helm template} makes of the chart, as Kubernetes objects. */
record RenderedChart(String yaml, List<HasMetadata> objects) {

  /** Renders release {@code release} into {@code namespace}; {@code extraArgs} are helm flags. */
  static RenderedChart render(HelmCli helm, KubernetesClient client, String release, String namespace,
      String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("template", release, HelmCli.chart().toString(), "--namespace", namespace));
    args.addAll(List.of(extraArgs));
    HelmCli.Result result = helm.run(args);
    assertThat(result.ok()).as(result.describe()).isTrue();
    List<HasMetadata> objects = client.load(new ByteArrayInputStream(result.stdout().getBytes(StandardCharsets.UTF_8)))
        .items();
    return new RenderedChart(result.stdout(), objects);
  }

  List<HasMetadata> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  <T extends HasMetadata> T single(Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as("exactly one %s in the rendered chart", type.getSimpleName()).hasSize(1);
    return matching.get(0);
  }
}
