package dev.gopherscope.sidecar.capture.delve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AttachPauseModelTest {

  private static final long MIB = 1024 * 1024;
  private final AttachPauseModel model = AttachPauseModel.measured();

  @Test
  void growsLinearlyWithTheInflatedDwarf() {
    AttachPauseModel.Prediction none = model.predict(0);
    AttachPauseModel.Prediction ten = model.predict(10 * MIB);
    AttachPauseModel.Prediction twenty = model.predict(20 * MIB);

    assertThat(none.pause()).isEqualTo(model.fixed());
    assertThat(twenty.pause().minus(ten.pause())).isEqualTo(ten.pause().minus(none.pause()))
        .isEqualTo(model.perMib().multipliedBy(10));
  }

  @Test
  void theDefaultAttachBudgetFitsTheDemoDlvAndEtcdButNotKubeApiserver() {
    Duration defaultBudget = Duration.ofSeconds(3);

    assertThat(model.predict(5 * MIB + MIB / 10).fits(defaultBudget)).as("demo, 5.1 MiB").isTrue();
    assertThat(model.predict(12 * MIB + 8 * MIB / 10).fits(defaultBudget)).as("dlv, 12.8 MiB").isTrue();
    assertThat(model.predict(21 * MIB + MIB / 2).fits(defaultBudget)).as("etcd, 21.5 MiB").isTrue();
    assertThat(model.predict(100 * MIB).fits(defaultBudget)).as("kube-apiserver, 100 MiB").isFalse();
  }

  @Test
  void aPredictionEqualToTheBudgetFits() {
    AttachPauseModel.Prediction p = model.predict(10 * MIB);

    assertThat(p.fits(p.pause())).isTrue();
    assertThat(p.fits(p.pause().minusNanos(1))).isFalse();
  }

  @Test
  void describesItselfWithWhatItWasPredictedFrom() {
    AttachPauseModel fixed = new AttachPauseModel(Duration.ofMillis(100), Duration.ofMillis(30));

    assertThat(fixed.predict(40 * MIB + MIB / 2).describe()).isEqualTo("predicted 1,315 ms from 40.5 MiB of DWARF");
  }

  @Test
  void anAbsurdSizeFromAHostileHeaderStillPredictsAFiniteRefusal() {
    AttachPauseModel.Prediction p = model.predict(Long.MAX_VALUE / 4);

    assertThat(p.pause()).isPositive();
    assertThat(p.fits(Duration.ofSeconds(30))).isFalse();
  }
}
