package dev.muse4j.onnx.internal.music;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.muse4j.ModelLoadException;
import dev.muse4j.onnx.internal.text.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The merged MusicGen decoder ({@code decoder_model_merged.onnx}) as its session's metadata describes it: the names
 * and element types of {@code input_ids}, {@code encoder_hidden_states}, {@code encoder_attention_mask}, the optional
 * decoder {@code attention_mask}, {@code use_cache_branch}, and per layer the self-attention
 * ({@code past_key_values.N.decoder.key/value}) and cross-attention ({@code past_key_values.N.encoder.key/value})
 * caches with their {@code present.N.*} outputs. Immutable; {@link #start} makes one generation's {@link Run}.
 */
final class MusicGenDecoder {
  final String inputIds = "input_ids";
  final OnnxJavaType idType;
  final String encoderStates = "encoder_hidden_states";
  final OnnxJavaType statesType;
  final @Nullable String encoderMask;
  final OnnxJavaType encoderMaskType;
  final @Nullable String attentionMask;
  final OnnxJavaType attentionMaskType;
  final @Nullable String useCacheBranch;
  final int layers;
  final OnnxJavaType kvType;
  final int heads;
  final int headDim;
  final OnnxJavaType logitsType;
  final String logits = "logits";
  /** What a cached step asks for: the logits and the self-attention presents (the cross-attention ones are reused). */
  final Set<String> stepOutputs;

  private MusicGenDecoder(Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs, MusicGenConfig config,
      String model) {
    for (String required : new String[] {inputIds, encoderStates, past(0, "decoder", "key")}) {
      if (!inputs.containsKey(required)) {
        throw new ModelLoadException(model, "decoder_model_merged.onnx has no input " + required + "; it declares "
            + inputs.keySet() + ". Expected the Optimum / transformers.js MusicGen decoder (input_ids, "
            + "encoder_hidden_states, encoder_attention_mask, past_key_values.N.decoder/encoder.key/value, "
            + "use_cache_branch); export it with optimum-cli export onnx --model facebook/musicgen-small.");
      }
    }
    if (!outputs.containsKey(logits)) {
      throw new ModelLoadException(model, "decoder_model_merged.onnx has no output logits; it declares "
          + outputs.keySet() + ".");
    }
    this.idType = tensor(inputs.get(inputIds), model).type;
    this.statesType = tensor(inputs.get(encoderStates), model).type;
    this.encoderMask = inputs.containsKey("encoder_attention_mask") ? "encoder_attention_mask" : null;
    this.encoderMaskType = encoderMask != null ? tensor(inputs.get(encoderMask), model).type : OnnxJavaType.INT64;
    this.attentionMask = inputs.containsKey("attention_mask") ? "attention_mask" : null;
    this.attentionMaskType = attentionMask != null ? tensor(inputs.get(attentionMask), model).type
        : OnnxJavaType.INT64;
    this.useCacheBranch = inputs.containsKey("use_cache_branch") ? "use_cache_branch" : null;
    int n = 0;
    while (inputs.containsKey(past(n, "decoder", "key"))) {
      for (String part : new String[] {"decoder", "encoder"}) {
        for (String kind : new String[] {"key", "value"}) {
          if (!inputs.containsKey(past(n, part, kind))) {
            throw new ModelLoadException(model, "decoder_model_merged.onnx has " + past(n, "decoder", "key")
                + " but not " + past(n, part, kind) + "; every layer needs its self- and cross-attention caches.");
          }
          if (!outputs.containsKey(present(n, part, kind))) {
            throw new ModelLoadException(model, "decoder_model_merged.onnx has no output " + present(n, part, kind)
                + " for its input " + past(n, part, kind) + ".");
          }
        }
      }
      n++;
    }
    this.layers = n;
    TensorInfo pastInfo = tensor(inputs.get(past(0, "decoder", "key")), model);
    this.kvType = pastInfo.type;
    if (kvType != OnnxJavaType.FLOAT && kvType != OnnxJavaType.FLOAT16) {
      throw new ModelLoadException(model, "The decoder's cache is " + kvType + "; float32 and float16 are supported.");
    }
    long[] shape = pastInfo.getShape();
    if (shape.length != 4) {
      throw new ModelLoadException(model, past(0, "decoder", "key") + " has " + shape.length + " dimensions; "
          + "expected [batch, heads, past_sequence, head_dim].");
    }
    this.heads = shape[1] > 0 ? (int) shape[1] : config.heads;
    this.headDim = shape[3] > 0 ? (int) shape[3] : config.headDim;
    if (heads <= 0 || headDim <= 0) {
      throw new ModelLoadException(model, "The decoder's cache shape is symbolic and config.json's decoder section "
          + "gives no num_attention_heads and hidden_size.");
    }
    TensorInfo logitsInfo = tensor(outputs.get(logits), model);
    this.logitsType = logitsInfo.type;
    if (logitsType != OnnxJavaType.FLOAT && logitsType != OnnxJavaType.FLOAT16) {
      throw new ModelLoadException(model, "The decoder's logits are " + logitsType + "; expected float32 or "
          + "float16.");
    }
    long[] logitShape = logitsInfo.getShape();
    long width = logitShape.length > 0 ? logitShape[logitShape.length - 1] : -1;
    if (width > 0 && width != config.vocabulary) {
      throw new ModelLoadException(model, "The decoder's logits are " + width + " wide but config.json's decoder "
          + "says vocab_size " + config.vocabulary + ".");
    }
    if (idType != OnnxJavaType.INT64 && idType != OnnxJavaType.INT32) {
      throw new ModelLoadException(model, "The decoder's input_ids are " + idType + "; expected int64 or int32.");
    }
    Set<String> step = new LinkedHashSet<>();
    step.add(logits);
    for (int i = 0; i < layers; i++) {
      step.add(present(i, "decoder", "key"));
      step.add(present(i, "decoder", "value"));
    }
    this.stepOutputs = java.util.Collections.unmodifiableSet(step);
  }

  static MusicGenDecoder read(OrtSession session, MusicGenConfig config, String model) {
    try {
      return new MusicGenDecoder(session.getInputInfo(), session.getOutputInfo(), config, model);
    } catch (OrtException e) {
      throw new ModelLoadException(model, "Could not read the decoder's inputs: " + e.getMessage(), e);
    }
  }

  static String past(int layer, String part, String kind) {
    return "past_key_values." + layer + "." + part + "." + kind;
  }

  static String present(int layer, String part, String kind) {
    return "present." + layer + "." + part + "." + kind;
  }

  static TensorInfo tensor(NodeInfo node, String model) {
    if (!(node.getInfo() instanceof TensorInfo)) {
      throw new ModelLoadException(model, node.getName() + " is not a tensor.");
    }
    return (TensorInfo) node.getInfo();
  }

  /**
   * Starts a generation.
   *
   * @param env the environment
   * @param session the decoder session
   * @param states the encoder's hidden states for the whole batch ([cond; uncond] with guidance); the run closes it
   * @param mask the encoder attention mask, as many rows; the run closes it
   * @param batch the rows of the batch (2 with guidance, else 1)
   * @param codebooks the codebooks per row
   * @param vocabulary the logits width
   * @return the run; close it
   */
  Run start(OrtEnvironment env, OrtSession session, OnnxTensor states, @Nullable OnnxTensor mask, int batch,
      int codebooks, int vocabulary) {
    return new Run(env, session, states, mask, batch, codebooks, vocabulary);
  }

  /**
   * One generation's decoder loop: the first step runs the no-cache branch with every past input fed empty, and its
   * cross-attention presents are kept for every later step; each later step feeds the previous step's
   * self-attention presents back. Not thread-safe; {@link #close()} frees every tensor and result it holds.
   */
  final class Run implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final int batch;
    private final int rows;
    private final int vocabulary;
    private final Map<String, OnnxTensor> inputs = new HashMap<>();
    /** Tensors made once for the whole generation. */
    private final List<OnnxTensor> owned = new ArrayList<>();
    private final ByteBuffer ids;
    private final OnnxTensor idTensor;
    private final float[][] rowLogits;
    private OrtSession.@Nullable Result first;
    private OrtSession.@Nullable Result previous;
    private int length;

    private Run(OrtEnvironment env, OrtSession session, OnnxTensor states, @Nullable OnnxTensor mask, int batch,
        int codebooks, int vocabulary) {
      this.env = env;
      this.session = session;
      this.batch = batch;
      this.rows = batch * codebooks;
      this.vocabulary = vocabulary;
      owned.add(states);
      if (mask != null) {
        owned.add(mask);
      }
      this.rowLogits = new float[rows][vocabulary];
      int size = idType == OnnxJavaType.INT32 ? 4 : 8;
      this.ids = ByteBuffer.allocateDirect(rows * size).order(ByteOrder.nativeOrder());
      try {
        this.idTensor = own(OnnxTensor.createTensor(env, ids, new long[] {rows, 1}, idType));
        inputs.put(inputIds, idTensor);
        inputs.put(encoderStates, states);
        if (encoderMask != null && mask != null) {
          inputs.put(encoderMask, mask);
        }
      } catch (OrtException e) {
        close();
        throw new dev.muse4j.Muse4jException("Could not create the MusicGen decoder's inputs: " + e.getMessage(), e);
      }
    }

    private OnnxTensor own(OnnxTensor t) {
      owned.add(t);
      return t;
    }

    /**
     * Runs one step: {@code tokens[row]} is each row's input token (the start token on the first step).
     *
     * @return each row's logits, in arrays the next step overwrites
     */
    float[][] step(long[] tokens) throws OrtException {
      ids.clear();
      for (long t : tokens) {
        if (idType == OnnxJavaType.INT32) {
          ids.putInt((int) t);
        } else {
          ids.putLong(t);
        }
      }
      ids.clear();
      List<OnnxTensor> created = new ArrayList<>();
      try {
        boolean cached = first != null;
        if (attentionMask != null) {
          OnnxTensor m = ones(attentionMaskType, new long[] {rows, length + 1});
          created.add(m);
          inputs.put(attentionMask, m);
        }
        if (useCacheBranch != null) {
          OnnxTensor flag = OnnxTensor.createTensor(env, new boolean[] {cached});
          created.add(flag);
          inputs.put(useCacheBranch, flag);
        }
        for (int i = 0; i < layers; i++) {
          for (String kind : new String[] {"key", "value"}) {
            inputs.put(past(i, "decoder", kind), cached ? value(previous, present(i, "decoder", kind))
                : empty(created));
            inputs.put(past(i, "encoder", kind), cached ? value(first, present(i, "encoder", kind))
                : empty(created));
          }
        }
        OrtSession.Result result = cached ? session.run(inputs, stepOutputs) : session.run(inputs);
        try {
          read(result);
        } catch (RuntimeException | OrtException e) {
          result.close();
          throw e;
        }
        if (!cached) {
          first = result;
        } else if (previous != first && previous != null) {
          previous.close();
        }
        previous = result;
        length++;
        return rowLogits;
      } finally {
        for (OnnxTensor t : created) {
          t.close();
        }
      }
    }

    private OnnxTensor value(OrtSession.@Nullable Result result, String name) {
      OnnxValue v = java.util.Objects.requireNonNull(result).get(name)
          .orElseThrow(() -> new IllegalStateException("the decoder gave no " + name));
      return (OnnxTensor) v;
    }

    private OnnxTensor empty(List<OnnxTensor> created) throws OrtException {
      long[] shape = {batch, heads, 0, headDim};
      OnnxTensor t = kvType == OnnxJavaType.FLOAT16
          ? OnnxTensor.createTensor(env, ShortBuffer.allocate(0), shape, OnnxJavaType.FLOAT16)
          : OnnxTensor.createTensor(env, FloatBuffer.allocate(0), shape);
      created.add(t);
      return t;
    }

    private OnnxTensor ones(OnnxJavaType type, long[] shape) throws OrtException {
      int n = (int) (shape[0] * shape[1]);
      if (type == OnnxJavaType.INT32) {
        int[] v = new int[n];
        java.util.Arrays.fill(v, 1);
        return OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(v), shape);
      }
      long[] v = new long[n];
      java.util.Arrays.fill(v, 1);
      return OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(v), shape);
    }

    /** Copies the last position's logits of each row. */
    private void read(OrtSession.Result result) throws OrtException {
      OnnxTensor t = value(result, logits);
      long[] shape = t.getInfo().getShape();
      int positions = shape.length == 3 ? (int) shape[1] : 1;
      int width = (int) shape[shape.length - 1];
      if (shape[0] != rows || width != vocabulary) {
        throw new IllegalStateException("the decoder's logits are " + java.util.Arrays.toString(shape)
            + "; expected [" + rows + ", positions, " + vocabulary + "]");
      }
      if (logitsType == OnnxJavaType.FLOAT16) {
        ShortBuffer halves = t.getShortBuffer();
        for (int r = 0; r < rows; r++) {
          int offset = (r * positions + positions - 1) * width;
          for (int i = 0; i < width; i++) {
            rowLogits[r][i] = Float16.toFloat(halves.get(offset + i));
          }
        }
      } else {
        FloatBuffer floats = t.getFloatBuffer();
        for (int r = 0; r < rows; r++) {
          floats.position((r * positions + positions - 1) * width);
          floats.get(rowLogits[r]);
        }
      }
    }

    @Override
    public void close() {
      if (previous != null && previous != first) {
        previous.close();
      }
      previous = null;
      if (first != null) {
        first.close();
        first = null;
      }
      for (OnnxTensor t : owned) {
        t.close();
      }
      owned.clear();
    }
  }
}
