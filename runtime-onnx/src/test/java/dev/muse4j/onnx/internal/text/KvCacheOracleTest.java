package dev.muse4j.onnx.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.onnx.Fixtures;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.session.SessionSettings;
import dev.muse4j.BackendConfig;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The correctness oracle that does not trust the cache: greedy decoding with the KV cache must produce exactly the
 * tokens of greedy decoding that recomputes the whole sequence at every step.
 */
class KvCacheOracleTest {
  private static final int STEPS = 16;

  private static java.util.SplittableRandom random(int step) {
    return new java.util.SplittableRandom(1000 + step);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32", "shared:tiny-random-gpt2-genai"})
  void cachedGreedyDecodingEqualsRecomputation(String fixture) throws Exception {
    String dir = fixture.startsWith("shared:") ? Fixtures.shared(fixture.substring(7)) : Fixtures.model(fixture);
    ModelDirectory model = ModelDirectory.inspect(dir, null, new ObjectMapper());
    SessionFactory sessions = SessionFactory.create(SessionSettings.from(BackendConfig.empty()));
    OrtEnvironment env = SessionFactory.environment();
    try (OrtSession session = sessions.open(model.modelFile, dir, Map.of());
        OrtSession.RunOptions options = new OrtSession.RunOptions()) {
      DecoderLayout layout = DecoderLayout.read(session, model);
      long[] prompt = {5, 17, 42, 7};

      // Seeded sampling, not argmax: random-weight models fall into one repeated token under argmax, which would
      // hide a broken cache. The same seed draws the same tokens from the same logits.
      double tolerance = layout.kvType == ai.onnxruntime.OnnxJavaType.FLOAT16 ? 2e-2 : 1e-3;

      long[] cached = new long[STEPS];
      float[][] cachedLogits = new float[STEPS][];
      try (DecoderRun run = new DecoderRun(env, session, layout, options)) {
        float[] logits = run.prefill(prompt);
        for (int i = 0; i < STEPS; i++) {
          cachedLogits[i] = logits.clone();
          cached[i] = LogitsPipeline.draw(logits, logits.length, 0, 1.0, 0.0, random(i));
          logits = run.step(cached[i]);
        }
        assertThat(run.length()).isEqualTo(prompt.length + STEPS);
      }

      long[] sequence = Arrays.copyOf(prompt, prompt.length + STEPS);
      long[] recomputed = new long[STEPS];
      for (int i = 0; i < STEPS; i++) {
        float[] logits = DecoderRun.recompute(env, session, layout, Arrays.copyOf(sequence, prompt.length + i),
            options);
        for (int v = 0; v < logits.length; v++) {
          assertThat((double) cachedLogits[i][v]).as("step %d logit %d", i, v)
              .isCloseTo(logits[v], org.assertj.core.data.Offset.offset(tolerance));
        }
        recomputed[i] = LogitsPipeline.draw(logits, logits.length, 0, 1.0, 0.0, random(i));
        sequence[prompt.length + i] = recomputed[i];
      }

      assertThat(cached).containsExactly(recomputed);
      assertThat(Arrays.stream(cached).distinct().count()).as("a non-trivial sequence").isGreaterThan(1);
    }
  }
}
