package dev.muse4j.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.muse4j.Backend;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.Latent;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Stable Diffusion's denoising loop through the SDK against ONNX Runtime alone, with the same sessions' options:
 *
 * <ul>
 *   <li>{@code rawPipeline}: the limit: the text encoder run twice (negative and prompt), {@value #STEPS} UNet runs on
 *       a ready [2, 4, h, w] latent batch with classifier-free guidance's batch of two, each output copied out as
 *       floats, and one VAE decoder run; no tokenizer, scheduler, guidance arithmetic or picture conversion;</li>
 *   <li>{@code sdkPipeline}: {@code ImageGenerator.generate} with {@value #STEPS} Euler steps and guidance 7.5 at the
 *       same size: tokenization, the same runs, the guidance and scheduler arithmetic at every step, the seeded
 *       noise, the picture made from the VAE's output;</li>
 *   <li>{@code interleavedPipeline}: one of each back to back, alternating which goes first, then both again with
 *       one step; the per-pair ratio is the figure to trust on a shared machine, and the difference between the
 *       {@value #STEPS}-step and the 1-step medians, per step, isolates what one denoising step costs on each side
 *       (the UNet run against the SDK's input scaling, guidance, scheduler update and progress).</li>
 * </ul>
 *
 * <p>The pipeline is {@code -Dmuse4j.benchmark.sdModel} (default: the tiny legacy-layout test pipeline, whose UNet
 * takes any size), at {@code size} × {@code size} pixels.
 *
 * @since 0.3.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class DiffusionBenchmark {
  static final int STEPS = 20;

  @Param({"256", "512"})
  public int size;

  private Backend backend;
  private ImageGenerator generator;
  private OrtSession text;
  private OrtSession unet;
  private OrtSession vae;
  private OnnxTensor ids;
  private OnnxTensor sample;
  private OnnxTensor timestep;
  private OnnxTensor latent;
  private final InterleavedPairs pairs = new InterleavedPairs();
  private final InterleavedPairs onePairs = new InterleavedPairs();

  @Setup(Level.Trial)
  public void open() throws OrtException {
    Path model = Path.of(System.getProperty("muse4j.benchmark.sdModel",
        "runtime-onnx/src/test/resources/fixtures/diffusion/sd1-legacy"));
    if (!Files.isDirectory(model)) {
      throw new IllegalStateException(model.toAbsolutePath() + " is missing");
    }
    backend = RawOnnx.backend();
    generator = backend.image(model.toString());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    text = RawOnnx.session(model.resolve("text_encoder/model.onnx"));
    unet = RawOnnx.session(model.resolve("unet/model.onnx"));
    vae = RawOnnx.session(model.resolve("vae_decoder/model.onnx"));
    int h = size / 8;
    int[] tokens = new int[77];
    java.util.Arrays.fill(tokens, 813);
    ids = OnnxTensor.createTensor(env, IntBuffer.wrap(tokens), new long[] {1, 77});
    float[] noise = Latent.random(1, 2 * 4 * h * h).values();
    sample = OnnxTensor.createTensor(env, FloatBuffer.wrap(noise), new long[] {2, 4, h, h});
    timestep = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {999, 999}), new long[] {2});
    latent = OnnxTensor.createTensor(env, FloatBuffer.wrap(Latent.random(2, 4 * h * h).values()),
        new long[] {1, 4, h, h});
  }

  @TearDown(Level.Trial)
  public void close() throws OrtException {
    if (!pairs.isEmpty()) {
      System.out.println();
      System.out.println(pairs.summary("interleavedPipeline size " + size + ", " + STEPS + " steps", STEPS, "steps"));
      System.out.println(onePairs.summary("interleavedPipeline size " + size + ", 1 step", 1, "steps"));
      double raw = pairs.rawMedian() - onePairs.rawMedian();
      double sdk = pairs.sdkMedian() - onePairs.sdkMedian();
      System.out.printf(java.util.Locale.ROOT, "per denoising step (difference of the medians over %d steps): raw "
          + "%.3f ms, SDK %.3f ms, SDK/raw %.3f%n", STEPS - 1, raw / (STEPS - 1), sdk / (STEPS - 1), sdk / raw);
    }
    generator.close();
    backend.close();
    for (OnnxTensor t : new OnnxTensor[] {ids, sample, timestep, latent}) {
      t.close();
    }
    text.close();
    unet.close();
    vae.close();
  }

  @Setup(Level.Iteration)
  public void iteration(IterationParams iteration) {
    pairs.iteration(iteration);
    onePairs.iteration(iteration);
  }

  @Benchmark
  public int sdkPipeline() {
    return sdk(STEPS);
  }

  private int sdk(int steps) {
    ImageResult r = generator.generate(ImageRequest.builder("a lighthouse on a cliff at sunset").scheduler("euler")
        .steps(steps).guidanceScale(7.5).seed(1).size(size, size).build());
    return r.image().pixel(0, 0);
  }

  @Benchmark
  public float rawPipeline() throws OrtException {
    return raw(STEPS);
  }

  private float raw(int steps) throws OrtException {
    float check = 0;
    float[] both = null;
    for (int i = 0; i < 2; i++) {
      try (OrtSession.Result r = text.run(Map.of("input_ids", ids))) {
        FloatBuffer one = ((OnnxTensor) r.get(0)).getFloatBuffer();
        if (both == null) {
          both = new float[one.remaining() * 2];
        }
        one.get(both, i * both.length / 2, both.length / 2);
      }
    }
    OnnxTensor states = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(both),
        new long[] {2, 77, both.length / 2 / 77});
    try (states) {
      for (int s = 0; s < steps; s++) {
        try (OrtSession.Result r = unet.run(Map.of("sample", sample, "timestep", timestep,
            "encoder_hidden_states", states))) {
          FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
          float[] copy = new float[out.remaining()];
          out.get(copy);
          check += copy[copy.length - 1];
        }
      }
    }
    try (OrtSession.Result r = vae.run(Map.of("latent_sample", latent))) {
      FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] copy = new float[out.remaining()];
      out.get(copy);
      check += copy[0];
    }
    return check;
  }

  @Benchmark
  public double interleavedPipeline() throws Exception {
    return pairs.timePair(() -> raw(STEPS), () -> sdk(STEPS)) + onePairs.timePair(() -> raw(1), () -> sdk(1));
  }
}
