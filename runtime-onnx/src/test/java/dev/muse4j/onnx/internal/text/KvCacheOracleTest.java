package dev.muse4j.onnx.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.BackendConfig;
import dev.muse4j.onnx.Fixtures;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.session.SessionSettings;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The correctness oracle that does not trust the cache: decoding with the KV cache must produce exactly the tokens
 * of decoding that recomputes the whole sequence at every step, on every fixture format (the shared GenAI package
 * included when present).
 */
class KvCacheOracleTest {
  private static final int STEPS = 16;
  private static final long[] PROMPT = {5, 17, 42, 7};

  /** Picks the next token from the logits of step {@code step}. */
  private interface Choice {
    long next(float[] logits, int step);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32", "shared:tiny-random-gpt2-genai"})
  void cachedGreedyDecodingEqualsRecomputation(String fixture) throws Exception {
    compare(fixture, (logits, step) -> LogitsPipeline.argmax(logits, logits.length));
  }

  /**
   * Random-weight models often fall into one repeated token under argmax, which would hide a cache that is wrong
   * only for some positions; a seeded draw walks through varied tokens. The same seed draws the same token from the
   * same logits, so both sides must still agree exactly.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32", "shared:tiny-random-gpt2-genai"})
  void cachedSeededDecodingEqualsRecomputationOverVariedTokens(String fixture) throws Exception {
    long[] tokens = compare(fixture, (logits, step) -> LogitsPipeline.draw(logits, logits.length, 0, 1.0, 0.0,
        new SplittableRandom(1000 + step)));
    assertThat(Arrays.stream(tokens).distinct().count()).as("a non-trivial sequence").isGreaterThan(1);
  }

  private static long[] compare(String fixture, Choice choice) throws OrtException {
    String dir = fixture.startsWith("shared:") ? Fixtures.shared(fixture.substring(7)) : Fixtures.model(fixture);
    ModelDirectory model = ModelDirectory.inspect(dir, java.nio.file.Path.of(dir), null, new ObjectMapper());
    SessionFactory sessions = SessionFactory.create(SessionSettings.from(BackendConfig.empty()));
    OrtEnvironment env = SessionFactory.environment();
    try (OrtSession session = sessions.open(model.modelFile, dir, Map.of()).session();
        OrtSession.RunOptions options = new OrtSession.RunOptions()) {
      DecoderLayout layout = DecoderLayout.read(session, model);
      // A float16 cache rounds keys and values, and float16 logits round to 11 significant bits: allow two units
      // in the last place on top of the cache's rounding.
      boolean half = layout.kvType == OnnxJavaType.FLOAT16 || layout.logitsType == OnnxJavaType.FLOAT16;
      double tolerance = half ? 2e-2 : 1e-3;
      double relative = layout.logitsType == OnnxJavaType.FLOAT16 ? 2.0 / 1024 : 0;

      long[] cached = new long[STEPS];
      float[][] cachedLogits = new float[STEPS][];
      try (DecoderRun run = new DecoderRun(env, session, layout, options)) {
        float[] logits = run.prefill(PROMPT);
        for (int i = 0; i < STEPS; i++) {
          cachedLogits[i] = logits.clone();
          cached[i] = choice.next(logits, i);
          logits = run.step(cached[i]);
        }
        assertThat(run.length()).isEqualTo(PROMPT.length + STEPS);
      }

      long[] sequence = Arrays.copyOf(PROMPT, PROMPT.length + STEPS);
      long[] recomputed = new long[STEPS];
      for (int i = 0; i < STEPS; i++) {
        float[] logits = DecoderRun.recompute(env, session, layout, Arrays.copyOf(sequence, PROMPT.length + i),
            options);
        for (int v = 0; v < logits.length; v++) {
          assertThat((double) cachedLogits[i][v]).as("step %d logit %d", i, v)
              .isCloseTo(logits[v], Offset.offset(tolerance + relative * Math.abs(logits[v])));
        }
        recomputed[i] = choice.next(logits, i);
        sequence[PROMPT.length + i] = recomputed[i];
      }

      assertThat(cached).containsExactly(recomputed);
      return cached;
    }
  }

  /** A long prompt is prefilled in chunks through the cache; the last logits match one run over the whole prompt. */
  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32", "shared:tiny-random-gpt2-genai"})
  void chunkedPrefillEqualsOneRun(String fixture) throws OrtException {
    String dir = fixture.startsWith("shared:") ? Fixtures.shared(fixture.substring(7)) : Fixtures.model(fixture);
    ModelDirectory model = ModelDirectory.inspect(dir, java.nio.file.Path.of(dir), null, new ObjectMapper());
    SessionFactory sessions = SessionFactory.create(SessionSettings.from(BackendConfig.empty()));
    OrtEnvironment env = SessionFactory.environment();
    long[] prompt = new long[23];
    for (int i = 0; i < prompt.length; i++) {
      prompt[i] = (i * 37 + 11) % 70;
    }
    try (OrtSession session = sessions.open(model.modelFile, dir, Map.of()).session();
        OrtSession.RunOptions options = new OrtSession.RunOptions()) {
      DecoderLayout layout = DecoderLayout.read(session, model);
      float[] whole = DecoderRun.recompute(env, session, layout, prompt, options);
      try (DecoderRun chunked = new DecoderRun(env, session, layout, options, 5)) {
        float[] logits = chunked.prefill(prompt);
        assertThat(chunked.length()).isEqualTo(prompt.length);
        for (int v = 0; v < whole.length; v++) {
          assertThat((double) logits[v]).as("logit %d", v).isCloseTo(whole[v],
              Offset.offset(2e-2 + Math.abs(whole[v]) / 512));
        }
      }
    }
    assertThat(DecoderRun.prefillChunk(151_936)).isEqualTo(110);
    assertThat(DecoderRun.prefillChunk(264)).isEqualTo(4096);
  }
}
