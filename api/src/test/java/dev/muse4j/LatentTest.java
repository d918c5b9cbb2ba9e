package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatentTest {
  private final Latent a = Latent.random(1, 100);
  private final Latent b = Latent.random(2, 100);

  @Test
  void valuesAreCopiedInAndOut() {
    float[] values = {1, 2, 3};
    Latent l = Latent.of(values);
    values[0] = 9;
    l.values()[1] = 9;

    assertThat(l.values()).containsExactly(1, 2, 3);
    assertThat(l).isEqualTo(Latent.of(1, 2, 3)).hasSameHashCodeAs(Latent.of(1, 2, 3));
  }

  @Test
  void randomIsTheSameForTheSameSeed() {
    assertThat(Latent.random(1, 100)).isEqualTo(a).isNotEqualTo(b);
    for (float v : Latent.randomUniform(3, 50).values()) {
      assertThat(v).isBetween(-1f, 1f);
    }
  }

  @Test
  void slerpKeepsTheEndsAndTheLength() {
    assertThat(Latent.slerp(a, b, 0)).isSameAs(a);
    assertThat(Latent.slerp(a, b, 1)).isSameAs(b);
    Latent half = Latent.slerp(a, b, 0.5);
    assertThat(half.norm()).isGreaterThan(Latent.lerp(a, b, 0.5).norm());
    assertThat(half.norm()).isCloseTo((a.norm() + b.norm()) / 2, within(0.05 * a.norm()));
  }

  @Test
  void slerpOfParallelLatentsIsLinear() {
    Latent x = Latent.of(1, 2, 3);
    Latent y = Latent.of(2, 4, 6);

    assertThat(Latent.slerp(x, y, 0.5).values()).containsExactly(1.5f, 3f, 4.5f);
  }

  @Test
  void morphHasBothEnds() {
    List<Latent> frames = Latent.morph(a, b, 5);

    assertThat(frames).hasSize(5).startsWith(a).endsWith(b);
    assertThatThrownBy(() -> Latent.morph(a, b, 1)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void mixWeightsAreValidated() {
    assertThatThrownBy(() -> Latent.mix(List.of(a, b), 1, Double.NaN))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("finite");
    assertThatThrownBy(() -> Latent.mix(List.of(a, b), 1, Double.POSITIVE_INFINITY))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("finite");
    assertThatThrownBy(() -> Latent.mix(List.of(a, b), 0, 0))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("All weights are zero");
    assertThatThrownBy(() -> Latent.mix(List.of(a, b), 1, -1))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not negative");
    assertThatThrownBy(() -> Latent.mix(List.of(a, b), 1))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("one weight per parent");
    assertThatThrownBy(() -> Latent.mix(List.of(a, Latent.random(1, 99)), 1, 1))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("different dimensions");
  }

  @Test
  void mixIsWeightedAndKeepsTheLength() {
    Latent c = Latent.random(3, 100);
    Latent mixed = Latent.mix(List.of(a, b, c), 2, 1, 1);

    assertThat(Latent.mix(List.of(a, b), 3, 0)).isEqualTo(a);
    double expected = (2 * a.norm() + b.norm() + c.norm()) / 4;
    assertThat(mixed.norm()).isCloseTo(expected, within(1e-3));
    double toA = distance(mixed, a);
    assertThat(toA).isLessThan(distance(mixed, b)).isLessThan(distance(mixed, c));
  }

  @Test
  void mutationAddsScaledNoise() {
    Latent m = a.mutate(7, 0.1);

    assertThat(a.mutate(7, 0)).isSameAs(a);
    assertThat(m).isEqualTo(a.mutate(7, 0.1)).isNotEqualTo(a.mutate(8, 0.1));
    Latent noise = Latent.random(7, 100);
    assertThat(m.get(5)).isCloseTo(a.get(5) + 0.1f * noise.get(5), within(1e-6f));
    assertThatThrownBy(() -> a.mutate(7, Double.NaN)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> Latent.of(1, Float.POSITIVE_INFINITY))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Latent value 1 is Infinity");
    assertThatThrownBy(() -> Latent.of()).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Latent.slerp(a, b, Double.NaN)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void requestsCarryLatentsMorphsAndClasses() {
    ImageRequest r = ImageRequest.builder().latents(List.of(a, b)).classLabel("cat").build();

    assertThat(r.count()).isEqualTo(2);
    assertThat(r.prompt()).isEmpty();
    assertThat(r.toBuilder().build().latents()).containsExactly(a, b);
    assertThat(ImageRequest.builder().morph(1, 2, 8).build().morphTo()).hasValue(2);
    assertThat(ImageRequest.builder().count(64).build().count()).isEqualTo(64);
    assertThatThrownBy(() -> ImageRequest.builder().latents(List.of(a)).count(2).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("latents");
    assertThatThrownBy(() -> ImageRequest.builder("  ")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ImageRequest.builder().classLabel(" ")).isInstanceOf(InvalidRequestException.class);
  }

  private static double distance(Latent x, Latent y) {
    double s = 0;
    for (int i = 0; i < x.dimension(); i++) {
      s += Math.pow(x.get(i) - y.get(i), 2);
    }
    return Math.sqrt(s);
  }
}
