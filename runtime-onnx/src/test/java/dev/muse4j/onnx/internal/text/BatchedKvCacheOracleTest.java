package dev.muse4j.onnx.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.BackendConfig;
import dev.muse4j.onnx.Fixtures;
import dev.muse4j.onnx.internal.session.SessionFactory;
import dev.muse4j.onnx.internal.session.SessionSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The KV-cache oracle for batches: eight sequences with prompts of four lengths decode at once through one
 * {@link StepBatcher} (so groups form as shorter sequences catch up, and shrink as sequences end at different steps),
 * and every step's logits are bit-identical to the same sequence decoded alone by {@link DecoderRun}, which the
 * {@link KvCacheOracleTest} checks against recomputing the whole sequence; here the batched logits are also checked
 * against recomputation directly, within that test's tolerance.
 */
class BatchedKvCacheOracleTest {
  private static final int SEQUENCES = 8;

  private static long[] prompt(int i) {
    long[] p = new long[4 + i % 4];
    for (int t = 0; t < p.length; t++) {
      p[t] = (t * 13 + i * 7 + 5) % 60 + 3;
    }
    return p;
  }

  private static int steps(int i) {
    return 6 + 2 * i;
  }

  private static long choose(float[] logits, int sequence, int step) {
    return LogitsPipeline.draw(logits.clone(), logits.length, 0, 1.0, 0.0,
        new SplittableRandom(1000L * sequence + step));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32"})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void batchedStepsEqualSoloStepsAndRecomputation(String fixture) throws Exception {
    String dir = Fixtures.model(fixture);
    ModelDirectory model = ModelDirectory.inspect(dir, java.nio.file.Path.of(dir), null, new ObjectMapper());
    SessionFactory sessions = SessionFactory.create(SessionSettings.from(BackendConfig.empty()));
    OrtEnvironment env = SessionFactory.environment();
    ExecutorService pool = Executors.newFixedThreadPool(SEQUENCES);
    try (OrtSession session = sessions.open(model.modelFile, dir, Map.of()).session();
        OrtSession.RunOptions options = new OrtSession.RunOptions()) {
      DecoderLayout layout = DecoderLayout.read(session, model);
      int vocab = (int) layout.vocabFromMetadata;

      // Alone: each sequence's tokens and logits at every step.
      long[][] soloTokens = new long[SEQUENCES][];
      float[][][] soloLogits = new float[SEQUENCES][][];
      for (int i = 0; i < SEQUENCES; i++) {
        soloTokens[i] = new long[steps(i)];
        soloLogits[i] = new float[steps(i)][];
        try (DecoderRun run = new DecoderRun(env, session, layout, options)) {
          float[] logits = run.prefill(prompt(i));
          for (int s = 0; s < steps(i); s++) {
            soloLogits[i][s] = logits.clone();
            soloTokens[i][s] = choose(logits, i, s);
            logits = run.step(soloTokens[i][s]);
          }
        }
      }

      // Together, through one batcher; a long grace, since a tiny model's generation is shorter than a thread's start.
      StepBatcher.minGraceNanos = TimeUnit.MILLISECONDS.toNanos(500);
      StepBatcher batcher = new StepBatcher(env, session, layout, vocab, DecoderRun.prefillChunk(vocab),
          new LogitsBuffers());
      long batchedBefore = StepBatcher.BATCHED_STEPS.get();
      long rowsBefore = StepBatcher.ROWS.get();
      long stepsBefore = StepBatcher.STEPS.get();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<float[][]>> futures = new ArrayList<>();
      for (int i = 0; i < SEQUENCES; i++) {
        int index = i;
        StepBatcher.Member member = batcher.join(prompt(i).length);
        futures.add(pool.submit(() -> {
          start.await();
          float[][] seen = new float[steps(index)][];
          try {
            float[] logits = member.prefill(prompt(index));
            for (int s = 0; s < steps(index); s++) {
              seen[s] = logits.clone();
              logits = member.step(choose(logits, index, s));
            }
            assertThat(member.length()).isEqualTo(prompt(index).length + steps(index));
          } finally {
            member.leave();
          }
          return seen;
        }));
      }
      start.countDown();
      for (int i = 0; i < SEQUENCES; i++) {
        float[][] batched = futures.get(i).get(60, TimeUnit.SECONDS);
        for (int s = 0; s < steps(i); s++) {
          assertThat(Arrays.equals(batched[s], soloLogits[i][s]))
              .as("%s sequence %d step %d: batched logits bit-identical to solo", fixture, i, s).isTrue();
        }
      }
      assertThat(StepBatcher.BATCHED_STEPS.get()).as("steps run as batches").isGreaterThan(batchedBefore);
      assertThat(StepBatcher.OPEN_COHORTS.get()).as("batched caches left open").isZero();
      assertThat(StepBatcher.LARGEST_BATCH.get()).isGreaterThanOrEqualTo(2);
      assertThat(StepBatcher.ROWS.get() - rowsBefore).as("rows decoded in steps")
          .isGreaterThan(StepBatcher.STEPS.get() - stepsBefore);

      // And against recomputation without a cache, as the solo oracle does.
      boolean half = layout.kvType == OnnxJavaType.FLOAT16 || layout.logitsType == OnnxJavaType.FLOAT16;
      double tolerance = half ? 2e-2 : 1e-3;
      double relative = layout.logitsType == OnnxJavaType.FLOAT16 ? 2.0 / 1024 : 0;
      for (int i : new int[] {0, 3, SEQUENCES - 1}) {
        long[] sequence = Arrays.copyOf(prompt(i), prompt(i).length + steps(i));
        System.arraycopy(soloTokens[i], 0, sequence, prompt(i).length, steps(i));
        for (int s = 0; s < steps(i); s++) {
          float[] recomputed = DecoderRun.recompute(env, session, layout,
              Arrays.copyOf(sequence, prompt(i).length + s), options);
          for (int v = 0; v < vocab; v++) {
            assertThat((double) soloLogits[i][s][v]).as("sequence %d step %d logit %d", i, s, v)
                .isCloseTo(recomputed[v], Offset.offset(tolerance + relative * Math.abs(recomputed[v])));
          }
        }
      }
    } finally {
      StepBatcher.minGraceNanos = StepBatcher.MIN_GRACE_NANOS;
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * A batch whose run fails (one row feeds a token id beyond the vocabulary, so the embedding lookup fails) is
   * retried row by row: the error reaches that row's run only, and the others get the logits they get alone.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32"})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aFailingRowFailsAloneAndTheOthersDecodeOn(String fixture) throws Exception {
    String dir = Fixtures.model(fixture);
    ModelDirectory model = ModelDirectory.inspect(dir, java.nio.file.Path.of(dir), null, new ObjectMapper());
    SessionFactory sessions = SessionFactory.create(SessionSettings.from(BackendConfig.empty()));
    OrtEnvironment env = SessionFactory.environment();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    long[] prompt = prompt(0);
    try (OrtSession session = sessions.open(model.modelFile, dir, Map.of()).session();
        OrtSession.RunOptions options = new OrtSession.RunOptions()) {
      DecoderLayout layout = DecoderLayout.read(session, model);
      int vocab = (int) layout.vocabFromMetadata;
      float[][] solo = new float[3][];
      try (DecoderRun run = new DecoderRun(env, session, layout, options)) {
        solo[0] = run.prefill(prompt).clone();
        solo[1] = run.step(5).clone();
        solo[2] = run.step(6).clone();
      }
      StepBatcher.minGraceNanos = TimeUnit.MILLISECONDS.toNanos(500);
      StepBatcher batcher = new StepBatcher(env, session, layout, vocab, DecoderRun.prefillChunk(vocab),
          new LogitsBuffers());
      long batchedBefore = StepBatcher.BATCHED_STEPS.get();
      List<StepBatcher.Member> members = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        members.add(batcher.join(prompt.length));
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        StepBatcher.Member member = members.get(i);
        boolean bad = i == 2;
        futures.add(pool.submit(() -> {
          start.await();
          try {
            assertThat(member.prefill(prompt)).containsExactly(solo[0]);
            float[] logits = member.step(bad ? vocab + 1000 : 5);
            assertThat(logits).containsExactly(solo[1]);
            return member.step(6).clone();
          } catch (ai.onnxruntime.OrtException | RuntimeException e) {
            return e;
          } finally {
            member.leave();
          }
        }));
      }
      start.countDown();
      for (int i = 0; i < 4; i++) {
        Object result = futures.get(i).get(60, TimeUnit.SECONDS);
        if (i == 2) {
          assertThat(result).as("the failing row").isInstanceOf(Exception.class);
        } else {
          assertThat(result).as("row %d", i).isInstanceOf(float[].class);
          assertThat((float[]) result).as("row %d", i).containsExactly(solo[2]);
        }
      }
      assertThat(StepBatcher.BATCHED_STEPS.get()).as("the rows were batched").isGreaterThan(batchedBefore);
      assertThat(StepBatcher.OPEN_COHORTS.get()).as("batched caches left open").isZero();
    } finally {
      StepBatcher.minGraceNanos = StepBatcher.MIN_GRACE_NANOS;
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
