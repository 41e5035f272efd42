package dev.gopherscope.operator.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.DebugSessionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SidecarPlanCheckTest {

  private static DebugSessionSpec redacting(List<String> patterns) {
    DebugSessionSpec spec = new DebugSessionSpec();
    spec.setRedact(patterns);
    return spec;
  }

  @Test
  void aSessionWithoutOrWithValidPatternsPasses() {
    assertThat(SidecarPlanCheck.refusal(new DebugSessionSpec())).isEmpty();
    assertThat(SidecarPlanCheck.refusal(redacting(List.of("(?i)bearer [a-z0-9._-]+", "\\b\\d{16}\\b")))).isEmpty();
  }

  @Test
  void aPatternTheSidecarWouldRefuseIsRefusedBeforeInjecting() {
    assertThat(SidecarPlanCheck.refusal(redacting(List.of("ok", "(?<=user=)\\w+")))).hasValueSatisfying(f -> {
      assertThat(f.refusal()).isTrue();
      assertThat(f.reason()).isEqualTo("InvalidRedactPattern");
      assertThat(f.message()).contains("spec.redact: redact pattern #2 '(?<=user=)\\w+' is not a valid RE2",
          "no backreferences or lookaround", "nothing was injected");
    });
  }
}
