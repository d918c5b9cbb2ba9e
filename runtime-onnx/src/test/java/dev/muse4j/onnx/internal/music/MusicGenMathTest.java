package dev.muse4j.onnx.internal.music;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MusicGenMathTest {
  private static final int PAD = 2048;

  @Test
  void theDelayPatternShiftsCodebookKByKStepsAndHoldsItAtThePad() {
    int[][] codes = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}};
    int[][] delayed = MusicGenMath.delay(codes, PAD);
    assertThat(delayed).isDeepEqualTo(new int[][] {
        {1, 2, 3, PAD, PAD, PAD},
        {PAD, 4, 5, 6, PAD, PAD},
        {PAD, PAD, 7, 8, 9, PAD},
        {PAD, PAD, PAD, 10, 11, 12}});
    for (int k = 0; k < 4; k++) {
      for (int step = 0; step < k; step++) {
        assertThat(MusicGenMath.heldAtPad(k, step)).isTrue();
        assertThat(delayed[k][step]).isEqualTo(PAD);
      }
      assertThat(MusicGenMath.heldAtPad(k, k)).isFalse();
    }
  }

  @Test
  void undoingTheDelayGivesTheCodesBack() {
    Random r = new Random(5);
    int[][] codes = new int[4][37];
    for (int[] row : codes) {
      for (int i = 0; i < row.length; i++) {
        row[i] = r.nextInt(PAD);
      }
    }
    assertThat(MusicGenMath.undelay(MusicGenMath.delay(codes, PAD))).isDeepEqualTo(codes);
    assertThatThrownBy(() -> MusicGenMath.undelay(new int[4][2])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void guidanceIsUnconditionalPlusScaleTimesTheDifference() {
    float[] cond = {1f, 2f, -1f};
    float[] uncond = {0f, 3f, -1f};
    MusicGenMath.guide(cond, uncond, 3);
    assertThat(cond).containsExactly(3f, 0f, -1f);
    float[] same = {1f, 2f};
    MusicGenMath.guide(same, new float[] {5f, 5f}, 1);
    assertThat(same).containsExactly(1f, 2f);
  }

  @Test
  void durationMapsToFramesStepsAndSamples() {
    int frames = MusicGenMath.frames(Duration.ofSeconds(8), 50);
    assertThat(frames).isEqualTo(400);
    assertThat(MusicGenMath.steps(frames, 4)).isEqualTo(403);
    assertThat(MusicGenMath.samples(frames, 32_000, 50)).isEqualTo(256_000);
    assertThat(MusicGenMath.frames(Duration.ofMillis(1), 50)).isEqualTo(1);
    assertThat(MusicGenMath.duration(MusicGenMath.frames(Duration.ofMillis(1234), 50), 50))
        .isEqualTo(Duration.ofMillis(1240));
  }
}
