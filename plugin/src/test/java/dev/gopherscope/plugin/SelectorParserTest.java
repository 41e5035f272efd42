package dev.gopherscope.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorParserTest {

  @Test
  void readsEveryKubectlRequirementForm() {
    LabelSelector s = SelectorParser.parse("app=checkout, tier==web,track!=canary,env in (prod, staging),zone notin (a),release,!legacy");
    assertThat(s.getMatchLabels()).isEqualTo(Map.of("app", "checkout", "tier", "web"));
    assertThat(s.getMatchExpressions()).containsExactly(
        new LabelSelectorRequirement("track", "NotIn", List.of("canary")),
        new LabelSelectorRequirement("env", "In", List.of("prod", "staging")),
        new LabelSelectorRequirement("zone", "NotIn", List.of("a")),
        new LabelSelectorRequirement("release", "Exists", null),
        new LabelSelectorRequirement("legacy", "DoesNotExist", null));
  }

  @Test
  void refusesAnEmptyOrUnreadableSelector() {
    assertThatThrownBy(() -> SelectorParser.parse(" , ")).hasMessageContaining("empty selector would match every pod");
    assertThatThrownBy(() -> SelectorParser.parse("app in prod")).hasMessageContaining("cannot read selector requirement 'app in prod'");
  }
}
