package dev.muse4j.onnx.internal.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.muse4j.onnx.internal.session.SessionFactory;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The groundwork measurement for batched decoding (not built yet; see docs/performance.md, "Concurrent streams"):
 * whether one session run over several sequences gives each row the logits of its solo run, and what a step costs
 * at batch 1, 2, 4 and 8. It feeds raw ONNX Runtime the benchmark model (an Optimum GPT-2 export with position ids),
 * with the caches of sequences of different lengths left-padded to the longest and masked out. Opt-in, as it needs
 * {@code build-models/gpt2-small} and prints timings: {@code -Dmuse4j.batchProbe=true}. It asserts only numerics:
 * rows of a batch whose caches have equal lengths are bit-identical to solo runs; padded rows are within 1e-3.
 */
class BatchedStepProbeTest {
  static final int LAYERS = Integer.getInteger("probe.layers", 12);
  static final int HEADS = Integer.getInteger("probe.heads", 12);
  static final int DIM = Integer.getInteger("probe.dim", 64);

  static final class Solo {
    float[][] keys = new float[LAYERS][];
    float[][] values = new float[LAYERS][];
    int len;
    float[] logits;
  }

  static Solo prefill(OrtEnvironment env, OrtSession s, long[] ids) throws Exception {
    Map<String, OnnxTensor> in = new HashMap<>();
    long[] mask = new long[ids.length];
    java.util.Arrays.fill(mask, 1);
    long[] pos = new long[ids.length];
    for (int i = 0; i < pos.length; i++) pos[i] = i;
    in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, ids.length}));
    in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, ids.length}));
    in.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), new long[] {1, ids.length}));
    for (int l = 0; l < LAYERS; l++) {
      for (String k : new String[] {"key", "value"}) {
        in.put("past_key_values." + l + "." + k, OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
            new long[] {1, HEADS, 0, DIM}));
      }
    }
    Solo out = new Solo();
    try (OrtSession.Result r = s.run(in)) {
      for (int l = 0; l < LAYERS; l++) {
        out.keys[l] = copy(r.get("present." + l + ".key").get());
        out.values[l] = copy(r.get("present." + l + ".value").get());
      }
      float[] all = copy(r.get("logits").get());
      int vocab = all.length / ids.length;
      out.logits = java.util.Arrays.copyOfRange(all, all.length - vocab, all.length);
    }
    out.len = ids.length;
    return out;
  }

  static float[] copy(OnnxValue v) throws Exception {
    FloatBuffer b = ((OnnxTensor) v).getFloatBuffer();
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }

  /** One step for B sequences, left-padded to the longest cache. Returns logits [B][vocab]. */
  static float[][] batchedStep(OrtEnvironment env, OrtSession s, Solo[] seqs, long[] next) throws Exception {
    int b = seqs.length;
    int max = 0;
    for (Solo q : seqs) max = Math.max(max, q.len);
    Map<String, OnnxTensor> in = new HashMap<>();
    long[] mask = new long[b * (max + 1)];
    long[] pos = new long[b];
    for (int i = 0; i < b; i++) {
      int pad = max - seqs[i].len;
      for (int j = pad; j <= max; j++) mask[i * (max + 1) + j] = 1;
      pos[i] = seqs[i].len;
    }
    in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(next), new long[] {b, 1}));
    in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {b, max + 1}));
    in.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), new long[] {b, 1}));
    for (int l = 0; l < LAYERS; l++) {
      for (int kv = 0; kv < 2; kv++) {
        float[] cache = new float[b * HEADS * max * DIM];
        for (int i = 0; i < b; i++) {
          float[] src = kv == 0 ? seqs[i].keys[l] : seqs[i].values[l];
          int len = seqs[i].len;
          int pad = max - len;
          for (int h = 0; h < HEADS; h++) {
            System.arraycopy(src, h * len * DIM, cache, ((i * HEADS + h) * max + pad) * DIM, len * DIM);
          }
        }
        in.put("past_key_values." + l + "." + (kv == 0 ? "key" : "value"),
            OnnxTensor.createTensor(env, FloatBuffer.wrap(cache), new long[] {b, HEADS, max, DIM}));
      }
    }
    try (OrtSession.Result r = s.run(in)) {
      float[] all = copy(r.get("logits").get());
      int vocab = all.length / b;
      float[][] out = new float[b][];
      for (int i = 0; i < b; i++) out[i] = java.util.Arrays.copyOfRange(all, i * vocab, (i + 1) * vocab);
      return out;
    }
  }

  static float[] soloStep(OrtEnvironment env, OrtSession s, Solo q, long next) throws Exception {
    return batchedStep(env, s, new Solo[] {q}, new long[] {next})[0];
  }

  @Test
  void probe() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("muse4j.batchProbe"),
        "opt-in: -Dmuse4j.batchProbe=true");
    String model = System.getProperty("probe.model", "../build-models/gpt2-small/model.onnx");
    OrtEnvironment env = SessionFactory.environment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(1);
      o.setInterOpNumThreads(1);
      OrtSession s = env.createSession(model, o);
      int b = 8;
      Solo[] seqs = new Solo[b];
      long[] next = new long[b];
      for (int i = 0; i < b; i++) {
        long[] ids = new long[20 + 5 * i];
        for (int j = 0; j < ids.length; j++) ids[j] = (j * 31 + i * 7 + 3) % 250;
        seqs[i] = prefill(env, s, ids);
        next[i] = 40 + i;
      }
      float[][] batched = batchedStep(env, s, seqs, next);
      double worst = 0;
      int exact = 0;
      int argmaxSame = 0;
      for (int i = 0; i < b; i++) {
        float[] solo = soloStep(env, s, seqs[i], next[i]);
        double d = 0;
        for (int v = 0; v < solo.length; v++) d = Math.max(d, Math.abs(solo[v] - batched[i][v]));
        worst = Math.max(worst, d);
        if (java.util.Arrays.equals(solo, batched[i])) exact++;
        if (LogitsPipeline.argmax(solo, solo.length) == LogitsPipeline.argmax(batched[i], solo.length)) argmaxSame++;
      }
      System.out.printf("padded batch of %d: rows bit-identical to solo %d/%d, max |diff| %.3g, argmax same %d/%d%n",
          b, exact, b, worst, argmaxSame, b);
      org.assertj.core.api.Assertions.assertThat(worst).as("padded rows against solo").isLessThan(1e-3);
      // Timing: all at the same past length (64), batch 1 vs batch B, only session.run timed.
      for (int batch : new int[] {1, 2, 4, 8}) {
        Solo[] eq = new Solo[batch];
        long[] nx = new long[batch];
        for (int i = 0; i < batch; i++) {
          long[] ids = new long[64];
          for (int j = 0; j < 64; j++) ids[j] = (j * 13 + i) % 250;
          eq[i] = prefill(env, s, ids);
          nx[i] = 42;
        }
        float[][] rows = batchedStep(env, s, eq, nx);
        int same = 0;
        double dd = 0;
        for (int i = 0; i < batch; i++) {
          float[] solo = soloStep(env, s, eq[i], nx[i]);
          if (java.util.Arrays.equals(solo, rows[i])) same++;
          for (int v = 0; v < solo.length; v++) dd = Math.max(dd, Math.abs(solo[v] - rows[i][v]));
        }
        System.out.printf("equal-length batch %d: bit-identical %d/%d, max |diff| %.3g%n", batch, same, batch, dd);
        org.assertj.core.api.Assertions.assertThat(same).as("equal-length rows bit-identical").isEqualTo(batch);
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 12; rep++) {
          long t0 = System.nanoTime();
          batchedStep(env, s, eq, nx);
          best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("batch %d: step %.1f ms (incl. cache assembly), %.1f tokens/s%n", batch, best / 1e6,
            batch * 1e9 / best);
      }
      s.close();
    }
  }
}
