package dev.muse4j.onnx.internal.text;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One generation's pass through a decoder: a prefill of the prompt, then one token per step with the KV cache fed
 * back. The cache never leaves native memory: each step's {@code present} outputs are the next step's {@code past}
 * inputs. Not thread-safe (one per generation); {@link #close()} frees every tensor it holds.
 *
 * <p>Decoding allocates next to no heap: ONNX Runtime writes the logits into a direct buffer (a pinned output) and
 * only the last position's row is read, into one array reused for every step; the ids, positions and mask live in
 * direct buffers reused from step to step, and the step's id and position tensors are made once. When the logits
 * width is unknown, or a model's logits shape is not the one assumed, a run falls back to ONNX Runtime's own output,
 * which it copies to the heap.
 */
final class DecoderRun implements AutoCloseable {
  private static final long[] ONE_BY_ONE = {1, 1};
  private final OrtEnvironment env;
  private final OrtSession session;
  private final DecoderLayout layout;
  private final OrtSession.RunOptions runOptions;
  private final LogitsBuffers buffers;
  private final int prefillChunk;
  /** The logits width when known (then the logits are pinned), else -1. */
  private final int vocab;
  private final int logitsBytes;
  /** The inputs of every run, keyed once: each run replaces the values. */
  private final Map<String, OnnxTensor> inputs = new HashMap<>();
  private final IntegerInput ids;
  private final IntegerInput positions;
  private final @Nullable IntegerInput mask;
  /** Made once, for every decode step: one id, one position, the cache flag, the step's logits. */
  private final List<OnnxTensor> owned = new ArrayList<>();
  private @Nullable IntegerInput stepId;
  private @Nullable IntegerInput stepPosition;
  private @Nullable OnnxTensor stepIdTensor;
  private @Nullable OnnxTensor stepPositionTensor;
  private @Nullable OnnxTensor cacheFlag;
  private @Nullable ByteBuffer stepLogits;
  private @Nullable Map<String, OnnxValue> stepPinned;
  /** Whether a prefill may pin all its positions' logits (false once a model has refused that shape). */
  private boolean pinPrefill = true;
  private float @Nullable [] scratch;
  private OrtSession.@Nullable Result previous;
  private int length;

  DecoderRun(OrtEnvironment env, OrtSession session, DecoderLayout layout, OrtSession.RunOptions runOptions) {
    this(env, session, layout, runOptions, prefillChunk(layout.vocabFromMetadata));
  }

  /** With a given prefill chunk, for tests that check chunked prefill against one run. */
  DecoderRun(OrtEnvironment env, OrtSession session, DecoderLayout layout, OrtSession.RunOptions runOptions,
      int prefillChunk) {
    this(env, session, layout, runOptions, prefillChunk, layout.vocabFromMetadata, new LogitsBuffers());
  }

  /**
   * @param vocabulary the logits width, when the metadata leaves it symbolic (-1 when unknown)
   * @param buffers where the pinned logits buffers come from and go back to
   */
  DecoderRun(OrtEnvironment env, OrtSession session, DecoderLayout layout, OrtSession.RunOptions runOptions,
      int prefillChunk, long vocabulary, LogitsBuffers buffers) {
    this.prefillChunk = prefillChunk;
    this.env = env;
    this.session = session;
    this.layout = layout;
    this.runOptions = runOptions;
    this.buffers = buffers;
    long width = layout.vocabFromMetadata > 0 ? layout.vocabFromMetadata : vocabulary;
    boolean shapeKnown = layout.logitsRank == 2 || layout.logitsRank == 3;
    this.vocab = width > 0 && width < Integer.MAX_VALUE / 8 && shapeKnown ? (int) width : -1;
    this.logitsBytes = layout.logitsType == OnnxJavaType.FLOAT16 ? 2 : 4;
    this.ids = new IntegerInput(layout.idType, 16, 0);
    this.positions = new IntegerInput(layout.positionType, 16, 0);
    this.mask = layout.attentionMask != null ? new IntegerInput(layout.maskType, 64, 1) : null;
  }

  /** Tokens in the cache. */
  int length() {
    return length;
  }

  /**
   * Logits values one prefill run may produce: all positions' logits are written (to a direct buffer), and a prompt
   * of 2,000 tokens on a 152,000-token vocabulary would otherwise mean 1.2 GB of logits for the one row that is used.
   */
  static final long LOGITS_BUDGET = 16L << 20;

  /**
   * Runs the prompt through the model in chunks that keep each run's logits within {@link #LOGITS_BUDGET} (one chunk
   * for most prompts); returns the logits of its last position, in an array that the next call overwrites.
   */
  float[] prefill(long[] prompt) throws OrtException {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("an empty prompt");
    }
    float[] logits = null;
    for (int from = 0; from < prompt.length; from += prefillChunk) {
      logits = run(prompt, from, Math.min(prompt.length - from, prefillChunk));
    }
    return logits;
  }

  /** Tokens per prefill run for a logits width (unknown when not positive). */
  static int prefillChunk(long vocabulary) {
    long width = vocabulary > 0 ? vocabulary : 262_144;
    return (int) Math.max(1, Math.min(4096, LOGITS_BUDGET / width));
  }

  /** Runs one more token; returns its logits, in an array that the next call overwrites. */
  float[] step(long id) throws OrtException {
    if (previous == null) {
      return run(new long[] {id}, 0, 1);
    }
    IntegerInput idInput = stepId;
    if (idInput == null) {
      idInput = stepId = new IntegerInput(layout.idType, 1, 0);
      stepPosition = new IntegerInput(layout.positionType, 1, 0);
      stepIdTensor = own(idInput.tensor(env, ONE_BY_ONE, 1));
      stepPositionTensor = own(stepPosition.tensor(env, ONE_BY_ONE, 1));
    }
    idInput.set(0, id);
    java.util.Objects.requireNonNull(stepPosition).set(0, length);
    return run(null, 0, 1);
  }

  private OnnxTensor own(OnnxTensor t) {
    owned.add(t);
    return t;
  }

  /** Runs {@code ids} with no cache, for tests that check the cache against recomputation. */
  static float[] recompute(OrtEnvironment env, OrtSession session, DecoderLayout layout, long[] ids,
      OrtSession.RunOptions options) throws OrtException {
    try (DecoderRun run = new DecoderRun(env, session, layout, options)) {
      return run.run(ids, 0, ids.length).clone();
    }
  }

  /**
   * One run over {@code count} new tokens: {@code source[from, from + count)}, or (a null source) the one token
   * already written to the step's id input.
   */
  private float[] run(long @Nullable [] source, int from, int count) throws OrtException {
    int past = length;
    int total = past + count;
    List<OnnxTensor> created = new ArrayList<>(source == null ? 1 : 4 + 2 * layout.layers());
    try {
      if (source == null) {
        inputs.put(layout.inputIds, java.util.Objects.requireNonNull(stepIdTensor));
        if (layout.positionIds != null) {
          inputs.put(layout.positionIds, java.util.Objects.requireNonNull(stepPositionTensor));
        }
      } else {
        ids.ensure(count);
        for (int i = 0; i < count; i++) {
          ids.set(i, source[from + i]);
        }
        long[] shape = {1, count};
        inputs.put(layout.inputIds, created(created, ids.tensor(env, shape, count)));
        if (layout.positionIds != null) {
          positions.ensure(count);
          for (int i = 0; i < count; i++) {
            positions.set(i, past + i);
          }
          inputs.put(layout.positionIds, created(created, positions.tensor(env, shape, count)));
        }
      }
      if (mask != null) {
        mask.ensure(total);
        inputs.put(java.util.Objects.requireNonNull(layout.attentionMask),
            created(created, mask.tensor(env, new long[] {1, total}, total)));
      }
      if (layout.useCacheBranch != null) {
        OnnxTensor flag;
        if (previous == null) {
          flag = created(created, OnnxTensor.createTensor(env, new boolean[] {false}));
        } else {
          if (cacheFlag == null) {
            cacheFlag = own(OnnxTensor.createTensor(env, new boolean[] {true}));
          }
          flag = cacheFlag;
        }
        inputs.put(layout.useCacheBranch, flag);
      }
      for (int i = 0; i < layout.layers(); i++) {
        inputs.put(layout.pastKeys.get(i), pastTensor(layout.pastKeys.get(i), layout.presentKeys.get(i), created));
        String value = layout.pastValues.get(i);
        if (value != null) {
          inputs.put(value, pastTensor(value, layout.presentValues.get(i), created));
        }
      }
      OrtSession.Result result = vocab > 0 && (source == null || pinPrefill)
          ? pinnedRun(source == null, count) : null;
      float[] logits;
      if (result != null) {
        logits = scratch();
      } else {
        result = session.run(inputs, runOptions);
        try {
          logits = copiedLogits(result, count);
        } catch (OrtException | RuntimeException e) {
          result.close();
          throw e;
        }
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

  private static OnnxTensor created(List<OnnxTensor> created, OnnxTensor t) {
    created.add(t);
    return t;
  }

  /**
   * Runs with the logits written to a direct buffer and copies the last position's row into {@link #scratch}; null
   * when a prefill's logits turned out not to have the assumed shape (the caller then runs without pinning).
   */
  private OrtSession.@Nullable Result pinnedRun(boolean step, int count) throws OrtException {
    int rows = layout.logitsRank == 2 || layout.logitsPositions == 1 ? 1 : count;
    long[] shape = layout.logitsRank == 2 ? new long[] {1, vocab} : new long[] {1, rows, vocab};
    if (step) {
      ByteBuffer buffer = stepLogits;
      if (buffer == null) {
        buffer = stepLogits = buffers.take(vocab * logitsBytes);
        buffer.limit(vocab * logitsBytes);
        stepPinned = Map.of(layout.logits, own(OnnxTensor.createTensor(env, buffer, shape, layout.logitsType)));
      }
      OrtSession.Result result = session.run(inputs, layout.presents, java.util.Objects.requireNonNull(stepPinned),
          runOptions);
      readRow(buffer, 0);
      return result;
    }
    long bytes = (long) rows * vocab * logitsBytes;
    if (bytes > Integer.MAX_VALUE) {
      return null;
    }
    ByteBuffer buffer = buffers.take((int) bytes);
    buffer.limit((int) bytes);
    // Closed before the buffer goes back, so nothing native points into a buffer another run may take.
    try (OnnxTensor logits = OnnxTensor.createTensor(env, buffer, shape, layout.logitsType)) {
      OrtSession.Result result;
      try {
        result = session.run(inputs, layout.presents, Map.of(layout.logits, logits), runOptions);
      } catch (OrtException e) {
        if (rows == 1 || layout.logitsPositions > 0) {
          throw e;
        }
        // A symbolic positions dimension that is not the prompt's length (a model that returns the last position
        // only): let ONNX Runtime size the output from now on.
        pinPrefill = false;
        return null;
      }
      readRow(buffer, rows - 1);
      return result;
    } finally {
      buffers.give(buffer);
    }
  }

  private float[] scratch() {
    float[] s = scratch;
    if (s == null) {
      s = scratch = new float[vocab];
    }
    return s;
  }

  private void readRow(ByteBuffer buffer, int row) {
    float[] out = scratch();
    int offset = row * vocab;
    if (layout.logitsType == OnnxJavaType.FLOAT16) {
      for (int i = 0; i < vocab; i++) {
        out[i] = Float16.toFloat(buffer.getShort((offset + i) * 2));
      }
    } else {
      for (int i = 0; i < vocab; i++) {
        out[i] = buffer.getFloat((offset + i) * 4);
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

  /** The last position's logits of an output ONNX Runtime allocated (copied to the heap by its Java API). */
  private float[] copiedLogits(OrtSession.Result result, int positions) throws OrtException {
    OnnxTensor tensor = (OnnxTensor) result.get(layout.logits)
        .orElseThrow(() -> new IllegalStateException("no logits output"));
    long[] shape = tensor.getInfo().getShape();
    int width = (int) shape[shape.length - 1];
    int rows = shape.length == 3 ? (int) shape[1] : 1;
    int offset = (rows == positions ? positions - 1 : rows - 1) * width;
    float[] out = scratch != null && scratch.length == width ? scratch : new float[width];
    scratch = out;
    if (layout.logitsType == OnnxJavaType.FLOAT16) {
      ShortBuffer halves = tensor.getShortBuffer();
      for (int i = 0; i < width; i++) {
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
    for (OnnxTensor t : owned) {
      t.close();
    }
    owned.clear();
    if (stepLogits != null) {
      buffers.give(stepLogits);
      stepLogits = null;
    }
  }
}
