package dev.muse4j.onnx.internal.text;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.muse4j.ModelLoadException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The inputs and outputs of a decoder with a KV cache, read from the session's metadata: names, element types and
 * the cache's shape. Supports separate key/value tensors {@code [batch, kv_heads, past, head_dim]} and the combined
 * GenAI layout {@code [2, batch, heads, past, head_dim]}. Immutable.
 */
final class DecoderLayout {
  final String inputIds;
  final OnnxJavaType idType;
  final @Nullable String attentionMask;
  final OnnxJavaType maskType;
  final @Nullable String positionIds;
  final OnnxJavaType positionType;
  final @Nullable String useCacheBranch;
  /** Per layer: the key input (or the combined input) and the value input (null when combined). */
  final List<String> pastKeys;
  final List<@Nullable String> pastValues;
  final List<String> presentKeys;
  final List<@Nullable String> presentValues;
  final boolean combined;
  final OnnxJavaType kvType;
  final int kvHeads;
  final int headDim;
  final String logits;
  final OnnxJavaType logitsType;
  /** The logits width from the metadata, or -1 when it is symbolic. */
  final long vocabFromMetadata;
  /** The logits output's rank: 3 ({@code [batch, positions, vocab]}) or 2 ({@code [batch, vocab]}, last only). */
  final int logitsRank;
  /** The logits output's positions dimension when it is fixed (a model that returns the last position only). */
  final long logitsPositions;
  /** Every present output: what a run asks ONNX Runtime for besides the logits. */
  final java.util.Set<String> presents;

  private DecoderLayout(Builder b) {
    this.inputIds = b.inputIds;
    this.idType = b.idType;
    this.attentionMask = b.attentionMask;
    this.maskType = b.maskType;
    this.positionIds = b.positionIds;
    this.positionType = b.positionType;
    this.useCacheBranch = b.useCacheBranch;
    this.pastKeys = List.copyOf(b.pastKeys);
    this.pastValues = b.pastValues;
    this.presentKeys = List.copyOf(b.presentKeys);
    this.presentValues = b.presentValues;
    this.combined = b.combined;
    this.kvType = b.kvType;
    this.kvHeads = b.kvHeads;
    this.headDim = b.headDim;
    this.logits = b.logits;
    this.logitsType = b.logitsType;
    this.vocabFromMetadata = b.vocab;
    this.logitsRank = b.logitsRank;
    this.logitsPositions = b.logitsPositions;
    java.util.Set<String> names = new java.util.LinkedHashSet<>(presentKeys);
    for (String v : presentValues) {
      if (v != null) {
        names.add(v);
      }
    }
    this.presents = java.util.Collections.unmodifiableSet(names);
  }

  int layers() {
    return pastKeys.size();
  }

  private static final class Builder {
    String inputIds;
    OnnxJavaType idType;
    @Nullable String attentionMask;
    OnnxJavaType maskType = OnnxJavaType.INT64;
    @Nullable String positionIds;
    OnnxJavaType positionType = OnnxJavaType.INT64;
    @Nullable String useCacheBranch;
    List<String> pastKeys = new ArrayList<>();
    List<@Nullable String> pastValues = new ArrayList<>();
    List<String> presentKeys = new ArrayList<>();
    List<@Nullable String> presentValues = new ArrayList<>();
    boolean combined;
    OnnxJavaType kvType;
    int kvHeads;
    int headDim;
    String logits;
    OnnxJavaType logitsType;
    long vocab = -1;
    int logitsRank = 3;
    long logitsPositions = -1;
  }

  static DecoderLayout read(OrtSession session, ModelDirectory model) {
    Map<String, NodeInfo> inputs;
    Map<String, NodeInfo> outputs;
    try {
      inputs = session.getInputInfo();
      outputs = session.getOutputInfo();
    } catch (OrtException e) {
      throw new ModelLoadException(model.name, "Could not read the model's inputs: " + e.getMessage(), e);
    }
    boolean genai = model.format == ModelDirectory.Format.GENAI;
    Builder b = new Builder();
    b.inputIds = genai ? model.genaiName("inputs", "input_ids", "input_ids") : "input_ids";
    String mask = genai ? model.genaiName("inputs", "attention_mask", "attention_mask") : "attention_mask";
    String position = genai ? model.genaiName("inputs", "position_ids", "position_ids") : "position_ids";
    b.logits = genai ? model.genaiName("outputs", "logits", "logits") : "logits";
    String pastKey = "past_key_values.%d.key";
    String pastValue = "past_key_values.%d.value";
    String presentKey = "present.%d.key";
    String presentValue = "present.%d.value";
    if (genai) {
      String combinedPast = model.genaiName("inputs", "past_names", "");
      String combinedPresent = model.genaiName("outputs", "present_names", "");
      if (!combinedPast.isEmpty()) {
        pastKey = combinedPast;
        pastValue = null;
        presentKey = combinedPresent.isEmpty() ? "present_%d" : combinedPresent;
        presentValue = null;
        b.combined = true;
      } else {
        pastKey = model.genaiName("inputs", "past_key_names", pastKey);
        pastValue = model.genaiName("inputs", "past_value_names", pastValue);
        presentKey = model.genaiName("outputs", "present_key_names", presentKey);
        presentValue = model.genaiName("outputs", "present_value_names", presentValue);
      }
    }
    if (!inputs.containsKey(b.inputIds) || !outputs.containsKey(b.logits)
        || !inputs.containsKey(String.format(pastKey, 0))) {
      throw unrecognised(model, inputs, outputs);
    }
    b.idType = tensor(inputs.get(b.inputIds), model).type;
    if (inputs.containsKey(mask)) {
      b.attentionMask = mask;
      b.maskType = tensor(inputs.get(mask), model).type;
    }
    if (inputs.containsKey(position)) {
      b.positionIds = position;
      b.positionType = tensor(inputs.get(position), model).type;
    }
    if (inputs.containsKey("use_cache_branch")) {
      b.useCacheBranch = "use_cache_branch";
    }
    for (int i = 0; inputs.containsKey(String.format(pastKey, i)); i++) {
      b.pastKeys.add(String.format(pastKey, i));
      b.presentKeys.add(String.format(presentKey, i));
      if (!b.combined) {
        b.pastValues.add(String.format(pastValue, i));
        b.presentValues.add(String.format(presentValue, i));
      } else {
        b.pastValues.add(null);
        b.presentValues.add(null);
      }
    }
    for (int i = 0; i < b.pastKeys.size(); i++) {
      for (String name : new String[] {b.pastValues.get(i)}) {
        if (name != null && !inputs.containsKey(name)) {
          throw new ModelLoadException(model.name, "The model has input " + b.pastKeys.get(i) + " but not " + name
              + "; every layer needs both a key and a value cache input.");
        }
      }
      for (String name : new String[] {b.presentKeys.get(i), b.presentValues.get(i)}) {
        if (name != null && !outputs.containsKey(name)) {
          throw new ModelLoadException(model.name, "The model has no output " + name + " to match its cache input "
              + b.pastKeys.get(i) + ". Outputs declared: " + outputs.keySet() + ".");
        }
      }
    }
    TensorInfo past = tensor(inputs.get(b.pastKeys.get(0)), model);
    b.kvType = past.type;
    if (b.kvType != OnnxJavaType.FLOAT && b.kvType != OnnxJavaType.FLOAT16) {
      throw new ModelLoadException(model.name, "The KV cache input " + b.pastKeys.get(0) + " is " + b.kvType
          + "; the onnx backend supports float32 and float16 caches.");
    }
    long[] shape = past.getShape();
    int headsAt = b.combined ? 2 : 1;
    int dimAt = b.combined ? 4 : 3;
    if (shape.length != dimAt + 1) {
      throw new ModelLoadException(model.name, "The KV cache input " + b.pastKeys.get(0) + " has "
          + shape.length + " dimensions; expected " + (dimAt + 1) + (b.combined
              ? " ([2, batch, heads, past_sequence, head_size])" : " ([batch, kv_heads, past_sequence, head_dim])")
          + ".");
    }
    int heads = model.configInt(-1, "num_key_value_heads", "n_head", "num_attention_heads");
    int hidden = model.configInt(-1, "hidden_size", "n_embd");
    int attentionHeads = model.configInt(-1, "num_attention_heads", "n_head");
    int dim = model.configInt(hidden > 0 && attentionHeads > 0 ? hidden / attentionHeads : -1, "head_dim",
        "head_size");
    b.kvHeads = shape[headsAt] > 0 ? (int) shape[headsAt] : heads;
    b.headDim = shape[dimAt] > 0 ? (int) shape[dimAt] : dim;
    if (b.kvHeads <= 0 || b.headDim <= 0) {
      throw new ModelLoadException(model.name, "The KV cache shape is symbolic and the config does not give the "
          + "number of key/value heads and the head size (num_key_value_heads / n_head, head_dim or hidden_size / "
          + "num_attention_heads); add them to config.json.");
    }
    TensorInfo logits = tensor(outputs.get(b.logits), model);
    b.logitsType = logits.type;
    if (b.logitsType != OnnxJavaType.FLOAT && b.logitsType != OnnxJavaType.FLOAT16) {
      throw new ModelLoadException(model.name, "The logits output is " + b.logitsType + "; expected float32 or "
          + "float16.");
    }
    long[] logitShape = logits.getShape();
    b.vocab = logitShape.length > 0 ? logitShape[logitShape.length - 1] : -1;
    b.logitsRank = logitShape.length;
    b.logitsPositions = logitShape.length == 3 ? logitShape[1] : 1;
    if (b.idType != OnnxJavaType.INT64 && b.idType != OnnxJavaType.INT32) {
      throw new ModelLoadException(model.name, "input_ids is " + b.idType + "; expected int64 or int32.");
    }
    return new DecoderLayout(b);
  }

  private static TensorInfo tensor(NodeInfo node, ModelDirectory model) {
    if (!(node.getInfo() instanceof TensorInfo)) {
      throw new ModelLoadException(model.name, node.getName() + " is not a tensor.");
    }
    return (TensorInfo) node.getInfo();
  }

  private static ModelLoadException unrecognised(ModelDirectory model, Map<String, NodeInfo> inputs,
      Map<String, NodeInfo> outputs) {
    return new ModelLoadException(model.name, model.modelFile.getFileName() + " is not a decoder with a KV cache "
        + "that the onnx backend can run. It declares inputs " + inputs.keySet() + " and outputs " + outputs.keySet()
        + "; expected input_ids, attention_mask, optional position_ids and past_key_values.N.key/.value (or the "
        + "names genai_config.json gives), with outputs logits and present.N.key/.value. Export the model with "
        + "past key values (optimum-cli export onnx --task text-generation-with-past). Files found: "
        + ModelDirectory.listing(model.dir) + ".");
  }
}
