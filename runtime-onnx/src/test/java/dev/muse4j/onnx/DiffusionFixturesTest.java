package dev.muse4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muse4j.onnx.internal.natives.VendorTelemetry;
import dev.muse4j.onnx.internal.session.SessionFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny Stable Diffusion fixtures (tools/fixtures/make_diffusion.py) as ONNX Runtime sees them: every component's
 * input and output names, dtypes and ranks, each graph's output on fixed inputs against the torch module's
 * (references.json "probes"), and the tokenizer files against CLIP's real tokenizer.json pipeline with the tiny
 * vocabulary swapped in.
 */
class DiffusionFixturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIR = Fixtures.model("diffusion");
  private static JsonNode references;

  @BeforeAll
  static void load() throws IOException {
    references = JSON.readTree(Path.of(DIR, "references.json").toFile());
  }

  /** name -> "DTYPE[dims]" with symbolic dims as -1, per component, as the fixtures README states them. */
  private static Map<String, String> expected(String variant, String component) {
    boolean legacy = variant.equals("sd1-legacy");
    String f = variant.equals("turbo-fp16") ? "FLOAT16" : "FLOAT";
    String ids = legacy ? "INT32" : "INT64";
    int latentChannels = variant.equals("broken-channels") ? 8 : 4;
    Map<String, String> m = new LinkedHashMap<>();
    switch (component) {
      case "text_encoder" -> {
        m.put("in:input_ids", ids + "[-1, -1]");
        m.put("out:last_hidden_state", f + "[-1, -1, 32]");
        m.put("out:pooler_output", f + "[-1, -1]");
      }
      case "unet" -> {
        m.put("in:sample", f + (legacy ? "[-1, -1, -1, -1]" : "[-1, 4, -1, -1]"));
        m.put("in:timestep", switch (variant) {
          case "sd1-legacy" -> "INT64[-1]";
          case "turbo-fp16" -> "FLOAT16[]";
          case "lcm" -> "FLOAT[]";
          default -> "FLOAT[-1]";
        });
        m.put("in:encoder_hidden_states", f + "[-1, -1, 32]");
        if (variant.equals("lcm")) {
          m.put("in:timestep_cond", "FLOAT[-1, 32]");
        }
        m.put("out:out_sample", f + (legacy ? "[-1, 4, -1, -1]" : "[-1, 4, -1, -1]"));
      }
      case "vae_decoder" -> {
        m.put("in:latent_sample", f + (legacy ? "[-1, -1, -1, -1]" : "[-1, " + latentChannels + ", -1, -1]"));
        m.put("out:sample", f + "[-1, 3, -1, -1]");
      }
      case "vae_encoder" -> {
        m.put("in:sample", f + (legacy ? "[-1, -1, -1, -1]" : "[-1, 3, -1, -1]"));
        m.put(legacy ? "out:latent_sample" : "out:latent_parameters", f + (legacy ? "[-1, 4, -1, -1]"
            : "[-1, 8, -1, -1]"));
      }
      default -> throw new IllegalArgumentException(component);
    }
    return m;
  }

  private static String describe(NodeInfo info) {
    TensorInfo t = (TensorInfo) info.getInfo();
    return t.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "") + Arrays.toString(t.getShape());
  }

  private static OrtSession open(String variant, String component) throws OrtException {
    Path model = Path.of(DIR, variant, component, "model.onnx");
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      return SessionFactory.environment().createSession(model.toString(), options);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sd1-legacy", "sd2-optimum", "turbo-fp16", "lcm", "broken-channels"})
  void namesDtypesAndRanksAreTheRealExports(String variant) throws OrtException {
    for (String component : List.of("text_encoder", "unet", "vae_decoder", "vae_encoder")) {
      try (OrtSession s = open(variant, component)) {
        Map<String, String> actual = new LinkedHashMap<>();
        s.getInputInfo().forEach((k, v) -> actual.put("in:" + k, describe(v)));
        s.getOutputInfo().forEach((k, v) -> actual.put("out:" + k, describe(v)));
        assertThat(actual).as(variant + "/" + component).isEqualTo(expected(variant, component));
      }
    }
    Path root = Path.of(DIR, variant);
    boolean legacy = variant.equals("sd1-legacy");
    assertThat(root.resolve("unet/weights.pb")).matches(p -> Files.exists(p) == legacy, "weights.pb iff legacy");
    for (String c : List.of("text_encoder", "unet", "vae_decoder", "vae_encoder")) {
      assertThat(Files.exists(root.resolve(c).resolve("config.json"))).as(c + "/config.json").isEqualTo(!legacy);
    }
    for (String f : List.of("model_index.json", "scheduler/scheduler_config.json", "tokenizer/vocab.json",
        "tokenizer/merges.txt", "tokenizer/special_tokens_map.json", "tokenizer/tokenizer_config.json")) {
      assertThat(root.resolve(f)).exists();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sd1-legacy", "sd2-optimum", "turbo-fp16", "lcm", "broken-channels"})
  void graphsComputeWhatTheTorchModulesDo(String variant) throws OrtException {
    JsonNode probe = references.path("probes").path(variant);
    OrtEnvironment env = SessionFactory.environment();
    boolean fp16 = variant.equals("turbo-fp16");
    double tol = fp16 ? 4e-3 : 2e-4;
    int latentChannels = variant.equals("broken-channels") ? 8 : 4;

    try (OrtSession s = open(variant, "text_encoder")) {
      long[] ids = longs(probe.path("text_encoder").path("input_ids"));
      OnnxTensor in = variant.equals("sd1-legacy")
          ? OnnxTensor.createTensor(env, IntBuffer.wrap(Arrays.stream(ids).mapToInt(x -> (int) x).toArray()),
              new long[] {1, ids.length})
          : OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, ids.length});
      try (in; OrtSession.Result r = s.run(Map.of("input_ids", in))) {
        assertClose(floats(r.get("last_hidden_state").get()), probe.path("text_encoder")
            .path("last_hidden_state_first8"), tol * 10, variant + " last_hidden_state");
        assertClose(floats(r.get("pooler_output").get()), probe.path("text_encoder").path("pooler_output_first8"),
            tol * 10, variant + " pooler_output");
      }
    }

    try (OrtSession s = open(variant, "unet")) {
      Map<String, OnnxTensor> in = new HashMap<>();
      in.put("sample", tensor(env, wave(2 * 4 * 64, 0.37, 1, false), new long[] {2, 4, 8, 8}, fp16));
      in.put("encoder_hidden_states", tensor(env, wave(2 * 77 * 32, 0.11, 0.5, true), new long[] {2, 77, 32},
          fp16));
      switch (variant) {
        case "sd1-legacy" -> in.put("timestep", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {500}),
            new long[] {1}));
        case "turbo-fp16", "lcm" -> in.put("timestep", tensor(env, new float[] {500f}, new long[0], fp16));
        default -> in.put("timestep", tensor(env, new float[] {500f, 500f}, new long[] {2}, false));
      }
      if (variant.equals("lcm")) {
        in.put("timestep_cond", tensor(env, wave(2 * 32, 0.05, 1, false), new long[] {2, 32}, false));
      }
      try (OrtSession.Result r = s.run(in)) {
        float[] out = floats(r.get("out_sample").get());
        assertClose(out, probe.path("unet").path("out_sample_first8"), tol, variant + " out_sample");
        assertThat(l2(out)).as(variant + " out_sample L2")
            .isCloseTo(probe.path("unet").path("out_sample_l2").asDouble(), org.assertj.core.data.Offset.offset(
                tol * 100));
      } finally {
        in.values().forEach(OnnxTensor::close);
      }
    }

    try (OrtSession s = open(variant, "vae_decoder");
        OnnxTensor in = tensor(env, wave(latentChannels * 64, 0.21, 3, false), new long[] {1, latentChannels, 8, 8},
            fp16);
        OrtSession.Result r = s.run(Map.of("latent_sample", in))) {
      float[] out = floats(r.get("sample").get());
      assertThat(out).hasSize(3 * 64 * 64);
      assertClose(out, probe.path("vae_decoder").path("sample_first8"), tol, variant + " decoded sample");
    }

    String encoded = variant.equals("sd1-legacy") ? "latent_sample" : "latent_parameters";
    try (OrtSession s = open(variant, "vae_encoder");
        OnnxTensor in = tensor(env, wave(3 * 64 * 64, 0.013, 1, false), new long[] {1, 3, 64, 64}, fp16);
        OrtSession.Result r = s.run(Map.of("sample", in))) {
      float[] out = floats(r.get(encoded).get());
      assertClose(out, probe.path("vae_encoder").path(encoded + "_first8"), tol * 10, variant + " " + encoded);
    }
  }

  /**
   * The tokenizer folders, loaded the way CLIP's real tokenizer.json pipeline works (NFC, whitespace, lower case,
   * CLIP's split pattern, byte level, BPE with end-of-word suffix, BOS/EOS) with the tiny vocabulary and merges
   * swapped in, give the token ids recorded in references.json (before truncation and padding, which the engine
   * does).
   */
  @Test
  void tokenIdsAreWhatClipsPipelineGivesWithTheTinyVocabulary(@TempDir Path tmp) throws IOException {
    Path clip = Path.of(System.getProperty("muse4j.shared.dir", "../../shared"), "fixtures", "tokenizers", "clip",
        "tokenizer.json");
    assumeTrue(Files.isRegularFile(clip), "shared tokenizer " + clip + " is not present");
    VendorTelemetry.optOutOfDjlTracking();
    Map<String, HuggingFaceTokenizer> tokenizers = new HashMap<>();
    try {
      for (JsonNode c : references.path("cases")) {
        String variant = c.path("variant").asText();
        HuggingFaceTokenizer t = tokenizers.get(variant);
        if (t == null) {
          t = clipWithVocabulary(clip, Path.of(DIR, variant, "tokenizer"), tmp.resolve(variant + ".json"));
          tokenizers.put(variant, t);
        }
        int eos = (int) t.encode("").getIds()[1];
        check(t, c.path("prompt").asText(), c.path("condIds"), eos, c.path("id").asText());
        if (!c.path("uncondIds").isNull()) {
          check(t, c.path("negative").isNull() ? "" : c.path("negative").asText(), c.path("uncondIds"), eos,
              c.path("id").asText() + " negative");
        }
      }
    } finally {
      tokenizers.values().forEach(HuggingFaceTokenizer::close);
    }
  }

  private static HuggingFaceTokenizer clipWithVocabulary(Path clip, Path dir, Path file) throws IOException {
    ObjectNode vocab = (ObjectNode) JSON.readTree(dir.resolve("vocab.json").toFile());
    ObjectNode root = (ObjectNode) JSON.readTree(clip.toFile());
    ObjectNode model = (ObjectNode) root.get("model");
    model.set("vocab", vocab);
    ArrayNode merges = JSON.createArrayNode();
    for (String line : Files.readAllLines(dir.resolve("merges.txt"))) {
      if (!line.startsWith("#version") && !line.isBlank()) {
        merges.add(line);
      }
    }
    model.set("merges", merges);
    int bos = vocab.get("<|startoftext|>").asInt();
    int eos = vocab.get("<|endoftext|>").asInt();
    ((ObjectNode) root.get("added_tokens").get(0)).put("id", bos);
    ((ObjectNode) root.get("added_tokens").get(1)).put("id", eos);
    ObjectNode post = (ObjectNode) root.get("post_processor");
    ((ArrayNode) post.get("sep")).set(1, JSON.getNodeFactory().numberNode(eos));
    ((ArrayNode) post.get("cls")).set(1, JSON.getNodeFactory().numberNode(bos));
    JSON.writeValue(file.toFile(), root);
    return HuggingFaceTokenizer.newInstance(file,
        Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
  }

  /** The recorded 77 ids start with what the pipeline gives, truncated to 76 plus EOS when longer. */
  private static void check(HuggingFaceTokenizer t, String text, JsonNode recorded, int eos, String what) {
    long[] ids = t.encode(text).getIds();
    if (ids.length > 77) {
      ids = Arrays.copyOf(ids, 77);
      ids[76] = eos;
    }
    long[] head = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      head[i] = recorded.get(i).asLong();
    }
    assertThat(head).as(what).containsExactly(ids);
    assertThat(recorded.size()).as(what).isEqualTo(77);
  }

  private static short toHalf(float f) {
    int bits = Float.floatToIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = ((bits >>> 23) & 0xff) - 127 + 15;
    int mant = bits & 0x7fffff;
    if (exp <= 0) { // subnormal half (or zero), round half to even
      if (exp < -10) {
        return (short) sign;
      }
      mant |= 0x800000;
      int shift = 14 - exp;
      int half = mant >> shift;
      int rest = mant & ((1 << shift) - 1);
      int mid = 1 << (shift - 1);
      if (rest > mid || (rest == mid && (half & 1) == 1)) {
        half++;
      }
      return (short) (sign | half);
    }
    if (exp >= 31) {
      return (short) (sign | 0x7c00);
    }
    int half = (exp << 10) | (mant >> 13);
    int rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++; // may carry into the exponent, which is right
    }
    return (short) (sign | half);
  }

  private static float fromHalf(short h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0) {
      return (sign != 0 ? -1 : 1) * mant * 0x1p-24f;
    }
    if (exp == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  private static float[] wave(int n, double freq, double amp, boolean cos) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (amp * (cos ? Math.cos(freq * i) : Math.sin(freq * i)));
    }
    return v;
  }

  private static OnnxTensor tensor(OrtEnvironment env, float[] v, long[] shape, boolean fp16) throws OrtException {
    if (!fp16) {
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape);
    }
    ByteBuffer b = ByteBuffer.allocateDirect(v.length * 2).order(ByteOrder.nativeOrder());
    ShortBuffer s = b.asShortBuffer();
    for (float x : v) {
      s.put(toHalf(x));
    }
    return OnnxTensor.createTensor(env, b, shape, OnnxJavaType.FLOAT16);
  }

  private static float[] floats(ai.onnxruntime.OnnxValue value) {
    OnnxTensor t = (OnnxTensor) value;
    if (t.getInfo().type == OnnxJavaType.FLOAT16) {
      ShortBuffer s = t.getByteBuffer().order(ByteOrder.nativeOrder()).asShortBuffer();
      float[] v = new float[s.remaining()];
      for (int i = 0; i < v.length; i++) {
        v[i] = fromHalf(s.get(i));
      }
      return v;
    }
    FloatBuffer f = t.getFloatBuffer();
    float[] v = new float[f.remaining()];
    f.get(v);
    return v;
  }

  private static long[] longs(JsonNode array) {
    long[] v = new long[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).asLong();
    }
    return v;
  }

  private static double l2(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  private static void assertClose(float[] actual, JsonNode expected, double tol, String what) {
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.get(i).asDouble();
      assertThat((double) actual[i]).as(what + "[" + i + "]")
          .isCloseTo(e, org.assertj.core.data.Offset.offset(tol * Math.max(1, Math.abs(e))));
    }
  }
}
