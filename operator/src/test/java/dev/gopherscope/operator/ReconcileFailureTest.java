package dev.gopherscope.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import org.junit.jupiter.api.Test;

class ReconcileFailureTest {

  private static KubernetesClientException answered(int code, String reason, String message) {
    return new KubernetesClientException(new StatusBuilder().withCode(code).withReason(reason).withMessage(message)
        .build());
  }

  @Test
  void aMalformedRequestFailsTheSessionWithTheApiServersReasonAndMessage() {
    ReconcileFailure failure = ReconcileFailure.of(answered(400, "BadRequest",
        "unable to parse requirement: Invalid value: \"-app\": name part must consist of alphanumeric characters"));
    assertThat(failure.permanent()).isTrue();
    assertThat(failure.reason()).isEqualTo("BadRequest");
    assertThat(failure.message()).isEqualTo("the API server answered 400 BadRequest: unable to parse requirement: "
        + "Invalid value: \"-app\": name part must consist of alphanumeric characters");
    assertThat(ReconcileFailure.of(answered(422, "Invalid", "spec.x: Invalid value")).permanent()).isTrue();
  }

  @Test
  void whatMayPassLaterIsRetried() {
    assertThat(ReconcileFailure.of(answered(403, "Forbidden", "pods is forbidden"))).satisfies(f -> {
      assertThat(f.permanent()).isFalse();
      assertThat(f.reason()).isEqualTo("Forbidden");
    });
    assertThat(ReconcileFailure.of(answered(409, "Conflict", "the object has been modified")).permanent()).isFalse();
    assertThat(ReconcileFailure.of(answered(500, "", "etcdserver: request timed out"))).satisfies(f -> {
      assertThat(f.permanent()).isFalse();
      assertThat(f.reason()).isEqualTo("ApiServerError");
    });
    assertThat(ReconcileFailure.of(new KubernetesClientException("connect timed out")).permanent()).isFalse();
  }

  @Test
  void aRequestTheClientRefusesToBuildFailsTheSession() {
    ReconcileFailure failure = ReconcileFailure.of(new IllegalArgumentException("Unsupported operator: Foo"));
    assertThat(failure.permanent()).isTrue();
    assertThat(failure.reason()).isEqualTo("ReconcileError");
    assertThat(failure.message()).isEqualTo("the operator cannot act on this session: Unsupported operator: Foo");
  }

  @Test
  void theCauseIsFoundInsideJosdksWrapper() {
    assertThat(ReconcileFailure.of(new OperatorException(answered(400, "BadRequest", "unable to parse requirement"))))
        .satisfies(f -> {
          assertThat(f.permanent()).isTrue();
          assertThat(f.message()).isEqualTo("the API server answered 400 BadRequest: unable to parse requirement");
        });
    assertThat(ReconcileFailure.of(new OperatorException(new IllegalStateException("boom"))))
        .isEqualTo(new ReconcileFailure("ReconcileError", "the operator failed: java.lang.IllegalStateException: boom",
            false));
  }
}
