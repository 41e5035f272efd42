package dev.gopherscope.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.DebugSession;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {

  @Test
  void aSessionNoOperatorAnswersAsksWhetherOneRuns() {
    DebugSession session = new DebugSession();
    session.setMetadata(new ObjectMetaBuilder().withName("s").withCreationTimestamp("2026-12-06T10:00:00Z").build());

    assertThat(ProgressLines.session(session, Instant.parse("2026-12-06T10:00:05Z")))
        .isEqualTo("s  Pending  (waiting for the operator)");
    assertThat(ProgressLines.session(session, Instant.parse("2026-12-06T10:00:21Z")))
        .isEqualTo("s  Pending  (waiting for the operator; none has answered for 20 s: is it running? kubectl get pods "
            + "-A -l app.kubernetes.io/component=operator,app.kubernetes.io/name=gopherscope)");
  }
}
