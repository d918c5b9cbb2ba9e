package dev.muse4j.onnx.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.SamplingConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogitsPipelineTest {
  @Test
  void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
    float[] logits = {2f, -2f, 1f};

    LogitsPipeline.repetitionPenalty(logits, new int[] {0, 1}, 2, 2.0);

    assertThat(logits).containsExactly(1f, -4f, 1f);
  }

  @Test
  void presenceAndFrequencyPenaltiesFollowOpenAi() {
    float[] logits = {1f, 1f, 1f};
    int[] counts = {3, 1, 0};

    LogitsPipeline.presenceFrequencyPenalty(logits, new int[] {0, 1}, 2, counts, 0.5, 0.25);

    assertThat(logits[0]).isEqualTo(1f - 0.5f - 0.75f);
    assertThat(logits[1]).isEqualTo(1f - 0.5f - 0.25f);
    assertThat(logits[2]).isEqualTo(1f);
  }

  @Test
  void temperatureScalesOnlyTheSampledRange() {
    float[] logits = {2f, 4f, 8f};

    LogitsPipeline.temperature(logits, 2, 0.5);

    assertThat(logits).containsExactly(4f, 8f, 8f);
  }

  @Test
  void topReturnsTheLargestFirstWithStableTies() {
    float[] logits = {1f, 5f, 3f, 5f, 0f};

    assertThat(LogitsPipeline.top(logits, 5, 3)).containsExactly(1, 3, 2);
    assertThat(LogitsPipeline.top(logits, 3, 10)).containsExactly(1, 2, 0);
  }

  @Test
  void nucleusKeepsTheFewestReachingP() {
    double[] w = {0.5, 0.3, 0.15, 0.05};

    assertThat(LogitsPipeline.nucleus(w, 4, 1.0, 0.5)).isEqualTo(1);
    assertThat(LogitsPipeline.nucleus(w, 4, 1.0, 0.8)).isEqualTo(2);
    assertThat(LogitsPipeline.nucleus(w, 4, 1.0, 0.81)).isEqualTo(3);
    assertThat(LogitsPipeline.nucleus(w, 4, 1.0, 0.0001)).isEqualTo(1);
  }

  private static Map<Integer, Integer> histogram(float[] logits, int topK, double topP, double minP, int draws) {
    SplittableRandom random = new SplittableRandom(1);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < draws; i++) {
      counts.merge(LogitsPipeline.draw(logits.clone(), logits.length, topK, topP, minP, random), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void truncationsRestrictWhatCanBeDrawn() {
    float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};

    assertThat(histogram(logits, 2, 1.0, 0.0, 2000)).containsOnlyKeys(0, 1);
    assertThat(histogram(logits, 0, 0.7, 0.0, 2000)).containsOnlyKeys(0, 1);
    assertThat(histogram(logits, 0, 1.0, 0.35, 2000)).containsOnlyKeys(0, 1);
    assertThat(histogram(logits, 0, 1.0, 0.0, 4000)).containsOnlyKeys(0, 1, 2, 3);
    Map<Integer, Integer> all = histogram(logits, 0, 1.0, 0.0, 20000);
    assertThat(all.get(0) / 20000.0).isBetween(0.47, 0.53);
  }

  @Test
  void temperatureZeroIsArgmaxAndTheSameSeedRepeats() {
    float[] logits = new float[1000];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) Math.sin(i);
    }
    SamplingConfig greedy = SamplingConfig.greedy();
    assertThat(new LogitsPipeline(1000, 1000, greedy, new long[0], 1).next(logits.clone()))
        .isEqualTo(LogitsPipeline.argmax(logits, 1000));
    SamplingConfig sampled = SamplingConfig.builder().temperature(1.0).topP(0.9).build();
    int[] a = new int[50];
    int[] b = new int[50];
    LogitsPipeline p1 = new LogitsPipeline(1000, 1000, sampled, new long[0], 99);
    LogitsPipeline p2 = new LogitsPipeline(1000, 1000, sampled, new long[0], 99);
    for (int i = 0; i < 50; i++) {
      a[i] = p1.next(logits.clone());
      b[i] = p2.next(logits.clone());
    }
    assertThat(a).containsExactly(b);
  }

  @Test
  void idsBeyondTheTokenizerAreNeverDrawn() {
    float[] logits = {0f, 0f, 10f, 10f};

    LogitsPipeline p = new LogitsPipeline(4, 2, SamplingConfig.builder().temperature(1.0).build(), new long[0], 5);

    for (int i = 0; i < 100; i++) {
      assertThat(p.next(logits.clone())).isLessThan(2);
    }
  }

  @Test
  void theRepetitionPenaltyIncludesThePrompt() {
    float[] logits = {5f, 4.9f};
    LogitsPipeline p = new LogitsPipeline(2, 2, SamplingConfig.greedy().toBuilder().repetitionPenalty(2.0).build(),
        new long[] {0}, 1);

    assertThat(p.next(logits)).isEqualTo(1);
  }

  @Test
  void presenceAndFrequencyPenaltiesCountOnlyGeneratedTokens() {
    float[] logits = {5f, 4.9f};
    SamplingConfig penalised = SamplingConfig.greedy().toBuilder().presencePenalty(2.0).frequencyPenalty(2.0).build();
    LogitsPipeline p = new LogitsPipeline(2, 2, penalised, new long[] {0, 0, 0}, 1);

    assertThat(p.next(logits.clone())).as("the prompt's tokens are not penalised").isZero();
    p.accept(0);
    assertThat(p.next(logits.clone())).as("a generated token is").isEqualTo(1);
  }

  @Test
  void penaltiesComeBeforeTemperatureAndTruncation() {
    // Token 0 leads by 0.2 before penalties; the repetition penalty halves it below token 1. Top-k 1 after the
    // penalty must then keep token 1, whatever the temperature does to the scale.
    float[] logits = {2.0f, 1.8f, -3f};
    SamplingConfig c = SamplingConfig.builder().temperature(0.3).topK(1).repetitionPenalty(2.0).build();

    assertThat(new LogitsPipeline(3, 3, c, new long[] {0}, 7).next(logits)).isEqualTo(1);
  }
}
