package dev.muse4j.onnx.internal.text;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One generation's pass through a decoder: a prefill of the prompt, then one token per step with the KV cache fed
 * back. The cache never leaves native memory: each step's {@code present} outputs are the next step's {@code past}
 * inputs. Not thread-safe (one per generation); {@link #close()} frees every tensor it holds.
 */
final class DecoderRun implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final DecoderLayout layout;
  private final OrtSession.RunOptions runOptions;
  private OrtSession.@Nullable Result previous;
  private int length;
  private final int prefillChunk;

  DecoderRun(OrtEnvironment env, OrtSession session, DecoderLayout layout, OrtSession.RunOptions runOptions) {
    this(env, session, layout, runOptions, prefillChunk(layout.vocabFromMetadata));
  }

  /** With a given prefill chunk, for tests that check chunked prefill against one run. */
  DecoderRun(OrtEnvironment env, OrtSession session, DecoderLayout layout, OrtSession.RunOptions runOptions,
      int prefillChunk) {
    this.prefillChunk = prefillChunk;
    this.env = env;
    this.session = session;
    this.layout = layout;
    this.runOptions = runOptions;
  }

  /** Tokens in the cache. */
  int length() {
    return length;
  }

  /**
   * Logits values one run may return: ONNX Runtime's Java API copies a whole output to the heap, and a prompt of
   * 2,000 tokens on a 152,000-token vocabulary would otherwise mean 1.2 GB of logits for the one row that is used.
   */
  static final long LOGITS_BUDGET = 16L << 20;

  /**
   * Runs the prompt through the model in chunks that keep each run's logits within {@link #LOGITS_BUDGET} (one chunk
   * for most prompts); returns the logits of its last position.
   */
  float[] prefill(long[] ids) throws OrtException {
    float[] logits = null;
    for (int from = 0; from < ids.length; from += prefillChunk) {
      logits = run(from == 0 && ids.length <= prefillChunk ? ids
          : Arrays.copyOfRange(ids, from, Math.min(ids.length, from + prefillChunk)));
    }
    if (logits == null) {
      throw new IllegalArgumentException("an empty prompt");
    }
    return logits;
  }

  /** Tokens per prefill run for a logits width (unknown when not positive). */
  static int prefillChunk(long vocabulary) {
    long width = vocabulary > 0 ? vocabulary : 262_144;
    return (int) Math.max(1, Math.min(4096, LOGITS_BUDGET / width));
  }

  /** Runs one more token; returns its logits. */
  float[] step(long id) throws OrtException {
    return run(new long[] {id});
  }

  /** Runs {@code ids} with no cache, for tests that check the cache against recomputation. */
  static float[] recompute(OrtEnvironment env, OrtSession session, DecoderLayout layout, long[] ids,
      OrtSession.RunOptions options) throws OrtException {
    try (DecoderRun run = new DecoderRun(env, session, layout, options)) {
      return run.run(ids);
    }
  }

  private float[] run(long[] ids) throws OrtException {
    int past = length;
    int total = past + ids.length;
    List<OnnxTensor> created = new ArrayList<>();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(layout.inputIds, integers(ids, layout.idType, created));
      if (layout.attentionMask != null) {
        long[] mask = new long[total];
        Arrays.fill(mask, 1L);
        inputs.put(layout.attentionMask, integers(mask, layout.maskType, created));
      }
      if (layout.positionIds != null) {
        long[] positions = new long[ids.length];
        for (int i = 0; i < positions.length; i++) {
          positions[i] = past + i;
        }
        inputs.put(layout.positionIds, integers(positions, layout.positionType, created));
      }
      if (layout.useCacheBranch != null) {
        OnnxTensor flag = OnnxTensor.createTensor(env, new boolean[] {previous != null});
        created.add(flag);
        inputs.put(layout.useCacheBranch, flag);
      }
      for (int i = 0; i < layout.layers(); i++) {
        inputs.put(layout.pastKeys.get(i), pastTensor(layout.pastKeys.get(i), layout.presentKeys.get(i), created));
        String value = layout.pastValues.get(i);
        if (value != null) {
          inputs.put(value, pastTensor(value, layout.presentValues.get(i), created));
        }
      }
      OrtSession.Result result = session.run(inputs, runOptions);
      float[] logits;
      try {
        logits = lastLogits(result, ids.length);
      } catch (OrtException | RuntimeException e) {
        result.close();
        throw e;
      }
      if (previous != null) {
        previous.close();
      }
      previous = result;
      length = total;
      return logits;
    } finally {
      for (OnnxTensor t : created) {
        t.close();
      }
    }
  }

  private OnnxTensor pastTensor(String input, @Nullable String present, List<OnnxTensor> created)
      throws OrtException {
    if (previous != null && present != null) {
      Optional<OnnxValue> value = previous.get(present);
      if (value.isPresent()) {
        return (OnnxTensor) value.get();
      }
    }
    long[] shape = layout.combined
        ? new long[] {2, 1, layout.kvHeads, 0, layout.headDim}
        : new long[] {1, layout.kvHeads, 0, layout.headDim};
    OnnxTensor empty = layout.kvType == OnnxJavaType.FLOAT16
        ? OnnxTensor.createTensor(env, ShortBuffer.allocate(0), shape, OnnxJavaType.FLOAT16)
        : OnnxTensor.createTensor(env, FloatBuffer.allocate(0), shape);
    created.add(empty);
    return empty;
  }

  private OnnxTensor integers(long[] values, OnnxJavaType type, List<OnnxTensor> created) throws OrtException {
    long[] shape = {1, values.length};
    OnnxTensor t;
    if (type == OnnxJavaType.INT32) {
      int[] ints = new int[values.length];
      for (int i = 0; i < values.length; i++) {
        ints[i] = (int) values[i];
      }
      t = OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape);
    } else {
      t = OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
    }
    created.add(t);
    return t;
  }

  private float[] lastLogits(OrtSession.Result result, int positions) throws OrtException {
    OnnxTensor tensor = (OnnxTensor) result.get(layout.logits)
        .orElseThrow(() -> new IllegalStateException("no logits output"));
    long[] shape = tensor.getInfo().getShape();
    int vocab = (int) shape[shape.length - 1];
    int rows = shape.length == 3 ? (int) shape[1] : 1;
    int offset = (rows == positions ? positions - 1 : rows - 1) * vocab;
    float[] out = new float[vocab];
    if (layout.logitsType == OnnxJavaType.FLOAT16) {
      ShortBuffer halves = tensor.getShortBuffer();
      for (int i = 0; i < vocab; i++) {
        out[i] = Float16.toFloat(halves.get(offset + i));
      }
    } else {
      FloatBuffer floats = tensor.getFloatBuffer();
      floats.position(offset);
      floats.get(out);
    }
    return out;
  }

  @Override
  public void close() {
    if (previous != null) {
      previous.close();
      previous = null;
    }
  }
}
