package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.sidecar.delve.DelveTypes.Variable;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotRequestTest {

  @Test
  void defaultsAreBounded() {
    SnapshotRequest request = SnapshotRequest.at("main.handleCheckout");

    assertThat(request.maxHits()).isEqualTo(1);
    assertThat(request.condition()).isEmpty();
    assertThat(request.load()).isEqualTo(SnapshotRequest.BOUNDED_LOAD);
    assertThat(request.load().followPointers()).isTrue();
    assertThat(request.load().maxVariableRecurse()).isEqualTo(1);
    assertThat(request.load().maxStringLen()).isEqualTo(256);
    assertThat(request.load().maxArrayValues()).isEqualTo(32);
    assertThat(request.load().maxStructFields()).isEqualTo(16);
    assertThat(request.withCondition("  id > 0 ").condition()).isEqualTo("id > 0");
  }

  @Test
  void rejectsWhatWouldBeUnbounded() {
    SnapshotRequest request = SnapshotRequest.at("main.f");

    assertThatThrownBy(() -> SnapshotRequest.at(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> request.withMaxHits(0)).hasMessageContaining("maxHits");
    assertThatThrownBy(() -> request.withMaxHits(SnapshotRequest.MAX_HITS + 1)).hasMessageContaining("maxHits");
    assertThatThrownBy(() -> request.withTimeout(Duration.ZERO)).hasMessageContaining("timeout");
  }

  @Test
  void variablesKeepTheirShapeWithoutDelvesWireDetails() {
    Variable field = new Variable("ID", 0, "int", 2, "42", 0, 0, null, null);
    Variable order = new Variable("order", 0xc000010000L, "*main.Order", 22, "", 0, 0, List.of(field), "");

    SnapshotVariable v = SnapshotVariable.of(order);

    assertThat(v).isEqualTo(new SnapshotVariable("order", "*main.Order", "", 0,
        List.of(new SnapshotVariable("ID", "int", "42", 0, List.of(), "")), ""));
  }
}
