package dev.gopherscope.operator.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetResolverTest {

  @Test
  void aSelectorWithoutAnyLabelMatchesEverything() {
    assertThat(TargetResolver.matchesEverything(new LabelSelectorBuilder().build())).isTrue();
    assertThat(TargetResolver.matchesEverything(new LabelSelectorBuilder().withMatchLabels(Map.of())
        .withMatchExpressions(List.of()).build())).isTrue();
    assertThat(TargetResolver.matchesEverything(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "a"))
        .build())).isFalse();
    assertThat(TargetResolver.matchesEverything(new LabelSelectorBuilder().addNewMatchExpression().withKey("app")
        .withOperator("Exists").endMatchExpression().build())).isFalse();
  }
}
