package dev.muse4j.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
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
 * The SDK's text generation against the limit: the raw ONNX Runtime decode loop on the same model and prompt.
 *
 * <ul>
 *   <li>{@code rawDecode128}: prefill, then 127 steps of {@code OrtSession.run} feeding the KV cache back; no
 *       logits read, no sampling, no detokenization.</li>
 *   <li>{@code sdkGenerate128}: {@code TextGenerator.generate} for 128 greedy tokens (logits copied out, argmax,
 *       incremental detokenization, usage and timings).</li>
 *   <li>{@code rawPrefill} and {@code sdkFirstToken}: the prompt alone, and the SDK's time to the first token.</li>
 *   <li>{@code interleaved128}: one raw loop and one SDK generation back to back in each invocation (their order
 *       alternating), each timed on its own. On a shared machine the two sequential benchmarks above see different
 *       background load; pairs see the same. At the end of the trial it prints the medians and the median of the
 *       per-pair ratios SDK / raw.</li>
 * </ul>
 * At the start of a trial it also prints the heap the SDK allocates per decoded token (greedy, after warm-up) and per
 * prefill at three prompt lengths, counted with {@code ThreadMXBean.getThreadAllocatedBytes} on the generating
 * thread.
 * The model is GPT-2 small sized (12 layers, 768 wide, random weights) from
 * {@code tools/fixtures/make_decoders.py --benchmark} in {@code build-models/gpt2-small}. Both sides use the same
 * session options: {@code -Dmuse4j.benchmark.threads} intra-op threads (default 1, the least sensitive to other
 * load on a small machine), one inter-op thread, all graph optimizations.
 *
 * <p>JMH state; JMH calls it from one thread at a time.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
public class TextGenerationBenchmark {
  static final int NEW_TOKENS = 128;
  static final String PROMPT = "The autumn leaves are falling on the quiet river stone, and every";

  private Backend backend;
  private TextGenerator generator;
  private OrtSession session;
  private long[] promptIds;
  private int layers;
  private int heads;
  private int headDim;

  @Setup(Level.Trial)
  public void open() throws OrtException {
    Path model = Path.of(System.getProperty("muse4j.benchmark.model", "build-models/gpt2-small"));
    if (!Files.isDirectory(model)) {
      throw new IllegalStateException(model.toAbsolutePath() + " is missing; make it with "
          + "/usr/bin/python3 tools/fixtures/make_decoders.py --benchmark");
    }
    BackendConfig config = RawOnnx.config();
    backend = Muse4j.backend("onnx", config);
    generator = backend.text(model.toString());
    TextResult probe = generator.generate(request(1));
    reportAllocation(generator);
    promptIds = new long[probe.usage().orElseThrow().promptTokens()];
    for (int i = 0; i < promptIds.length; i++) {
      promptIds[i] = 40 + i;
    }
    session = RawOnnx.session(model.resolve("model.onnx"));
    layers = 12;
    heads = 12;
    headDim = 64;
  }

  /** Prints heap bytes per decoded token and per prefill (short, medium and long prompts). */
  static void reportAllocation(TextGenerator generator) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 5; i++) {
      generator.generate(request(64));
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long a = threads.getCurrentThreadAllocatedBytes();
      int few = generator.generate(request(16)).usage().orElseThrow().completionTokens();
      long b = threads.getCurrentThreadAllocatedBytes();
      int many = generator.generate(request(NEW_TOKENS)).usage().orElseThrow().completionTokens();
      long c = threads.getCurrentThreadAllocatedBytes();
      best = Math.min(best, ((c - b) - (b - a)) / Math.max(1, many - few));
    }
    StringBuilder prefill = new StringBuilder();
    for (int words : new int[] {8, 64, 180}) {
      TextRequest r = TextRequest.of("word ".repeat(words))
          .withSampling(SamplingConfig.greedy().toBuilder().maxTokens(1).build());
      generator.generate(r);
      long a = threads.getCurrentThreadAllocatedBytes();
      int tokens = generator.generate(r).usage().orElseThrow().promptTokens();
      long b = threads.getCurrentThreadAllocatedBytes();
      prefill.append(String.format(Locale.ROOT, " %d-token prompt %d KB;", tokens, (b - a) / 1024));
    }
    System.out.printf(Locale.ROOT, "%nallocation: %d bytes of heap per decoded token; first token (prefill):%s%n",
        best, prefill);
  }

  private static TextRequest request(int tokens) {
    return TextRequest.of(PROMPT).withSampling(SamplingConfig.greedy().toBuilder().maxTokens(tokens).build());
  }

  @TearDown(Level.Trial)
  public void close() throws OrtException {
    if (!pairs.isEmpty()) {
      System.out.println();
      System.out.println(pairs.summary("interleaved128", NEW_TOKENS, "tokens"));
    }
    generator.close();
    backend.close();
    session.close();
  }

  @Benchmark
  public int sdkGenerate128() {
    TextResult r = generator.generate(request(NEW_TOKENS));
    if (r.usage().orElseThrow().completionTokens() != NEW_TOKENS) {
      throw new IllegalStateException("generated " + r.usage().orElseThrow().completionTokens() + " tokens");
    }
    return r.text().length();
  }

  /** Per invocation of the interleaved benchmark after warm-up: {raw ms, SDK ms}. */
  private final InterleavedPairs pairs = new InterleavedPairs();

  @Setup(Level.Iteration)
  public void iteration(IterationParams iteration) {
    pairs.iteration(iteration);
  }

  @Benchmark
  public long interleaved128() throws OrtException {
    boolean rawFirst = pairs.rawFirst();
    long a = System.nanoTime();
    long check = rawFirst ? rawLoop(NEW_TOKENS) : sdkGenerate128();
    long b = System.nanoTime();
    check += rawFirst ? sdkGenerate128() : rawLoop(NEW_TOKENS);
    long c = System.nanoTime();
    pairs.add(rawFirst, (b - a) / 1e6, (c - b) / 1e6);
    return check;
  }

  @Benchmark
  public int sdkFirstToken() {
    return generator.generate(request(1)).text().length();
  }

  @Benchmark
  public long rawDecode128() throws OrtException {
    return rawLoop(NEW_TOKENS);
  }

  @Benchmark
  public long rawPrefill() throws OrtException {
    return rawLoop(1);
  }

  /** Prefill, then {@code tokens - 1} decode steps, the cache fed back as ONNX Runtime tensors. */
  private long rawLoop(int tokens) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.Result previous = null;
    long checksum = 0;
    try {
      for (int step = 0; step < tokens; step++) {
        long[] ids = step == 0 ? promptIds : new long[] {42};
        int past = step == 0 ? 0 : promptIds.length + step - 1;
        long[] mask = new long[past + ids.length];
        java.util.Arrays.fill(mask, 1);
        long[] positions = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
          positions[i] = past + i;
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        Map<String, OnnxTensor> created = new HashMap<>();
        created.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, ids.length}));
        created.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask),
            new long[] {1, mask.length}));
        created.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(positions),
            new long[] {1, positions.length}));
        for (int l = 0; l < layers; l++) {
          for (String kind : new String[] {"key", "value"}) {
            String name = "past_key_values." + l + "." + kind;
            if (previous == null) {
              created.put(name, OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                  new long[] {1, heads, 0, headDim}));
            } else {
              OnnxValue v = previous.get("present." + l + "." + kind).orElseThrow();
              inputs.put(name, (OnnxTensor) v);
            }
          }
        }
        inputs.putAll(created);
        OrtSession.Result result = session.run(inputs);
        for (OnnxTensor t : created.values()) {
          t.close();
        }
        if (previous != null) {
          previous.close();
        }
        previous = result;
        checksum += step;
      }
    } finally {
      if (previous != null) {
        previous.close();
      }
    }
    return checksum;
  }
}
