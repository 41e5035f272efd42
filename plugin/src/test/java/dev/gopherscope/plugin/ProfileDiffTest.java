package dev.gopherscope.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.DebugSessionStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileDiffTest {

  private static FlatProfile heap(Map<String, Long> byFunction) {
    return new FlatProfile("inuse_space", "bytes", byFunction, byFunction.values().stream().mapToLong(v -> v).sum());
  }

  @Test
  void ranksWhatGrewAppearedAndWentByHowMuch() {
    FlatProfile before = heap(Map.of("main.retain", 1L << 20, "main.cache", 4L << 20, "main.steady", 100L,
        "main.gone", 2048L, "main.shrank", 5000L));
    FlatProfile after = heap(Map.of("main.retain", 9L << 20, "main.cache", 5L << 20, "main.steady", 100L,
        "main.fresh", 3L << 20, "main.small", 10L, "main.shrank", 1000L));

    ProfileDiff diff = ProfileDiff.between(before, after);

    assertThat(diff.grew()).extracting(ProfileDiff.Change::function).containsExactly("main.retain", "main.cache");
    assertThat(diff.grew().get(0).delta()).isEqualTo(8L << 20);
    assertThat(diff.appeared()).extracting(ProfileDiff.Change::function).containsExactly("main.fresh", "main.small");
    assertThat(diff.gone()).singleElement().satisfies(c -> {
      assertThat(c.function()).isEqualTo("main.gone");
      assertThat(c.delta()).isEqualTo(-2048L);
    });
  }

  @Test
  void refusesProfilesOfDifferentSampleTypes() {
    FlatProfile cpu = new FlatProfile("cpu", "nanoseconds", Map.of("main.f", 1L), 1);
    assertThatThrownBy(() -> ProfileDiff.between(cpu, heap(Map.of("main.f", 1L))))
        .hasMessage("cannot compare a profile of cpu with one of inuse_space");
  }

  @Test
  void sumsPodsAndSaysValuesInTheProfilesUnit() {
    FlatProfile both = FlatProfile.sum(List.of(heap(Map.of("main.a", 1024L)), heap(Map.of("main.a", 1024L, "main.b", 5L))));
    assertThat(both.byFunction()).containsExactlyInAnyOrderEntriesOf(Map.of("main.a", 2048L, "main.b", 5L));
    assertThat(both.total()).isEqualTo(2053L);
    assertThat(both.format(2048)).isEqualTo("2.0 KiB");
    assertThat(both.format(-(3L << 20))).isEqualTo("-3.0 MiB");
    assertThat(both.format(512)).isEqualTo("512 B");
    FlatProfile cpu = new FlatProfile("cpu", "nanoseconds", Map.of(), 0);
    assertThat(cpu.format(1_500_000_000L)).isEqualTo("1.50 s");
    assertThat(cpu.format(20_000_000L)).isEqualTo("20.00 ms");
    assertThat(cpu.format(-1_500_000_000L)).as("a shrink is scaled like a growth").isEqualTo("-1.50 s");
    assertThat(new FlatProfile("contentions", "count", Map.of(), 0).format(42)).isEqualTo("42");
    assertThat(both.top(1)).singleElement().satisfies(f -> {
      assertThat(f.function()).isEqualTo("main.a");
      assertThat(f.share()).isCloseTo(99.76, org.assertj.core.data.Offset.offset(0.01));
    });
  }

  @Test
  void findsEachSessionsLastFileOfEachKindPerPod() {
    DebugSession session = new DebugSession();
    session.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("s").build());
    DebugSessionStatus status = new DebugSessionStatus();
    status.setArtifacts(List.of(artifact("a", "goroutines-1.pb.gz"), artifact("a", "goroutines-2.pb.gz"),
        artifact("b", "goroutines-1.pb.gz"), artifact("a", "heap-1.pb.gz"), artifact("a", "heap-3.pb.gz"),
        artifact("a", "heap-growth.pb.gz"), artifact("a", "cpu.pb.gz"), artifact("a", "cpu.html"),
        artifact("a", "trace-stacks.pb.gz"), artifact("a", "goroutines-2.json")));
    session.setStatus(status);

    Map<String, List<Artifact>> kinds = DiffVerb.lastOfEachKind(session);

    assertThat(kinds.keySet()).containsExactly("goroutines", "cpu", "heap");
    assertThat(kinds.get("goroutines")).extracting(a -> a.getPod() + "/" + a.getName())
        .containsExactly("a/goroutines-2.pb.gz", "b/goroutines-1.pb.gz");
    assertThat(kinds.get("heap")).extracting(Artifact::getName).containsExactly("heap-3.pb.gz");
    assertThat(kinds.get("cpu")).extracting(Artifact::getName).containsExactly("cpu.pb.gz");
  }

  private static Artifact artifact(String pod, String name) {
    Artifact a = new Artifact();
    a.setPod(pod);
    a.setName(name);
    return a;
  }
}
