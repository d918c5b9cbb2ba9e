package dev.muse4j.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Backend;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.MusicResult;
import dev.muse4j.SamplingConfig;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Two seconds of MusicGen (100 frames, 103 decoder steps, guidance 3 on a [cond; uncond] batch of 8 rows) on the tiny
 * fixture, through the SDK and through a raw ONNX Runtime loop doing the same work with the same session options:
 *
 * <ul>
 *   <li>{@code rawPiece}: the text encoder on the prompt's ids (tokenized once, in setup), the hidden states doubled
 *       with a zero half, then the merged decoder's {@code run()} step after step (the first with empty pasts and
 *       {@code use_cache_branch} false, then the self-attention presents fed back and the first step's
 *       cross-attention presents reused), guidance and the argmax of each codebook, the delay pattern, and EnCodec,
 *       its samples copied out;</li>
 *   <li>{@code sdkPiece}: {@code MusicGenerator.generate} of the same piece, greedy (top-k 1) so that both sides
 *       choose tokens the same way: tokenization, validation, progress, the same loop, the {@code Audio};</li>
 *   <li>{@code sdkSampledPiece}: the same with the model's own sampling (top-k 250), for the real-time factor;</li>
 *   <li>{@code interleavedPiece}: raw and SDK back to back per invocation, alternating which goes first; the medians
 *       and the median of the per-pair ratios are printed at the end;</li>
 *   <li>{@code interleavedSampling}: SDK greedy and SDK top-k 250 back to back, for what sampling costs.</li>
 * </ul>
 *
 * <p>The model directory is {@code -Dmuse4j.benchmark.musicgenModel} (default: the tiny test fixture).
 *
 * @since 0.2.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class MusicGenBenchmark {
  static final int FRAMES = 100;
  static final int K = 4;
  static final int PAD = 2048;
  static final int VOCAB = 2048;
  static final double SCALE = 3.0;

  private Backend backend;
  private MusicGenerator generator;
  private OrtSession encoder;
  private OrtSession decoder;
  private OrtSession encodec;
  private long[] promptIds;
  private String prompt;
  private int layers;
  private long[] emptyPast;
  private java.util.Set<String> stepOutputs;
  private final InterleavedPairs pairs = new InterleavedPairs();
  private final InterleavedPairs sampling = new InterleavedPairs();

  @Setup(Level.Trial)
  public void open() throws OrtException, IOException {
    Path model = Path.of(System.getProperty("muse4j.benchmark.musicgenModel",
        "runtime-onnx/src/test/resources/fixtures/musicgen-tiny"));
    if (!Files.isDirectory(model)) {
      throw new IllegalStateException(model.toAbsolutePath() + " is missing");
    }
    JsonNode reference = new ObjectMapper().readTree(model.resolve("reference.json").toFile());
    prompt = reference.path("prompt").asText();
    promptIds = new ObjectMapper().convertValue(reference.path("input_ids"), long[].class);
    backend = RawOnnx.backend();
    generator = backend.music(model.toString());
    encoder = RawOnnx.session(model.resolve("text_encoder.onnx"));
    decoder = RawOnnx.session(model.resolve("decoder_model_merged.onnx"));
    encodec = RawOnnx.session(model.resolve("encodec_decode.onnx"));
    while (decoder.getInputInfo().containsKey("past_key_values." + layers + ".decoder.key")) {
      layers++;
    }
    long[] past = ((ai.onnxruntime.TensorInfo) decoder.getInputInfo().get("past_key_values.0.decoder.key").getInfo())
        .getShape();
    emptyPast = new long[] {2, past[1], 0, past[3]};
    stepOutputs = new java.util.LinkedHashSet<>();
    stepOutputs.add("logits");
    for (int i = 0; i < layers; i++) {
      stepOutputs.add("present." + i + ".decoder.key");
      stepOutputs.add("present." + i + ".decoder.value");
    }
  }

  @TearDown(Level.Trial)
  public void close() throws OrtException {
    if (!pairs.isEmpty()) {
      System.out.println();
      System.out.println(pairs.summary("interleavedPiece", FRAMES + K - 1, "decoder steps"));
    }
    if (!sampling.isEmpty()) {
      System.out.println();
      System.out.println(sampling.summary("interleavedSampling (raw = SDK greedy, SDK = SDK top-k 250)",
          FRAMES + K - 1, "decoder steps"));
    }
    generator.close();
    backend.close();
    encoder.close();
    decoder.close();
    encodec.close();
  }

  @Setup(Level.Iteration)
  public void iteration(IterationParams iteration) {
    pairs.iteration(iteration);
    sampling.iteration(iteration);
  }

  private MusicRequest request(boolean greedy) {
    MusicRequest.Builder b = MusicRequest.builder(prompt).duration(Duration.ofMillis(FRAMES * 20L)).seed(1);
    if (greedy) {
      b.sampling(SamplingConfig.builder().topK(1).build());
    }
    return b.build();
  }

  @Benchmark
  public float sdkPiece() {
    MusicResult r = generator.generate(request(true));
    return r.audio().samples()[r.audio().frames() - 1];
  }

  @Benchmark
  public float sdkSampledPiece() {
    MusicResult r = generator.generate(request(false));
    return r.audio().samples()[r.audio().frames() - 1];
  }

  @Benchmark
  public float rawPiece() throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int s = promptIds.length;
    float[] states;
    long[] dims;
    long[] ones = new long[s];
    java.util.Arrays.fill(ones, 1);
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(promptIds), new long[] {1, s});
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), new long[] {1, s});
        OrtSession.Result r = encoder.run(Map.of("input_ids", ids, "attention_mask", mask))) {
      OnnxTensor hidden = (OnnxTensor) r.get(0);
      dims = hidden.getInfo().getShape();
      FloatBuffer f = hidden.getFloatBuffer();
      states = new float[2 * f.remaining()];
      f.get(states, 0, f.remaining());
    }
    long[] encoderMask = new long[2 * s];
    java.util.Arrays.fill(encoderMask, 0, s, 1);
    int steps = FRAMES + K - 1;
    int[][] delayed = new int[K][steps];
    long[] tokens = new long[2 * K];
    java.util.Arrays.fill(tokens, PAD);
    float[] cond = new float[VOCAB];
    float[] uncond = new float[VOCAB];
    OrtSession.Result first = null;
    OrtSession.Result previous = null;
    try (OnnxTensor hidden = OnnxTensor.createTensor(env, FloatBuffer.wrap(states), new long[] {2, dims[1], dims[2]});
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(encoderMask), new long[] {2, s});
        OnnxTensor empty = OnnxTensor.createTensor(env, FloatBuffer.allocate(0), emptyPast);
        OnnxTensor no = OnnxTensor.createTensor(env, new boolean[] {false});
        OnnxTensor yes = OnnxTensor.createTensor(env, new boolean[] {true})) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("encoder_hidden_states", hidden);
      inputs.put("encoder_attention_mask", mask);
      for (int step = 0; step < steps; step++) {
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), new long[] {2 * K, 1})) {
          inputs.put("input_ids", ids);
          inputs.put("use_cache_branch", first == null ? no : yes);
          for (int i = 0; i < layers; i++) {
            for (String kind : new String[] {"key", "value"}) {
              inputs.put("past_key_values." + i + ".decoder." + kind, first == null ? empty
                  : (OnnxTensor) previous.get("present." + i + ".decoder." + kind).orElseThrow());
              inputs.put("past_key_values." + i + ".encoder." + kind, first == null ? empty
                  : (OnnxTensor) first.get("present." + i + ".encoder." + kind).orElseThrow());
            }
          }
          OrtSession.Result result = first == null ? decoder.run(inputs) : decoder.run(inputs, stepOutputs);
          FloatBuffer logits = ((OnnxTensor) result.get("logits").orElseThrow()).getFloatBuffer();
          for (int c = 0; c < K; c++) {
            int token = PAD;
            int position = step + 1;
            if (position > c && position <= c + FRAMES) {
              logits.position(c * VOCAB);
              logits.get(cond);
              logits.position((K + c) * VOCAB);
              logits.get(uncond);
              float best = Float.NEGATIVE_INFINITY;
              for (int v = 0; v < VOCAB; v++) {
                float g = (float) (uncond[v] + SCALE * (cond[v] - uncond[v]));
                if (g > best) {
                  best = g;
                  token = v;
                }
              }
            }
            delayed[c][step] = token;
            tokens[c] = token;
            tokens[K + c] = token;
          }
          if (first == null) {
            first = result;
          } else if (previous != first) {
            previous.close();
          }
          previous = result;
        }
      }
    } finally {
      if (previous != null && previous != first) {
        previous.close();
      }
      if (first != null) {
        first.close();
      }
    }
    long[] codes = new long[K * FRAMES];
    for (int c = 0; c < K; c++) {
      for (int f = 0; f < FRAMES; f++) {
        codes[c * FRAMES + f] = delayed[c][c + f];
      }
    }
    try (OnnxTensor audioCodes = OnnxTensor.createTensor(env, LongBuffer.wrap(codes), new long[] {1, 1, K, FRAMES});
        OrtSession.Result r = encodec.run(Map.of("audio_codes", audioCodes))) {
      FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] samples = new float[out.remaining()];
      out.get(samples);
      return samples[samples.length - 1];
    }
  }

  @Benchmark
  public double interleavedPiece() throws Exception {
    return pairs.timePair(this::rawPiece, this::sdkPiece);
  }

  /** What top-k 250 sampling costs over greedy choice: SDK greedy and SDK sampled back to back. */
  @Benchmark
  public double interleavedSampling() throws Exception {
    return sampling.timePair(this::sdkPiece, this::sdkSampledPiece);
  }
}
