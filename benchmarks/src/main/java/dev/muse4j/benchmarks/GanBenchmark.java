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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * A batch of 64 sprites from the embedded sprite artist (DCGAN, latent 100, 32×32 RGB), through the SDK and through
 * a raw {@code OrtSession.run} with the same session options:
 *
 * <ul>
 *   <li>{@code rawBatch64}: the limit: one float tensor of the 64 latents (made once, in setup), {@code run}, and the
 *       output copied out of native memory as floats;</li>
 *   <li>{@code sdkBatch64}: {@code ImageGenerator.generate} for seeds 1 to 64: the latents drawn from the seeds,
 *       validation, the run, and the conversion of the tensor into 64 {@code Image}s, with each picture's latent and
 *       seed on the result;</li>
 *   <li>{@code interleavedBatch64}: one of each back to back per invocation, alternating which goes first; the
 *       medians and the median of the per-pair ratios are printed at the end (the figure to trust on a shared
 *       machine).</li>
 * </ul>
 *
 * <p>The model directory is {@code -Dmuse4j.benchmark.ganModel} (default: the samples' embedded artist).
 *
 * @since 0.2.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class GanBenchmark {
  static final int BATCH = 64;

  private Backend backend;
  private ImageGenerator generator;
  private OrtSession session;
  private float[] latents;
  private final InterleavedPairs pairs = new InterleavedPairs();

  @Setup(Level.Trial)
  public void open() throws OrtException {
    Path model = Path.of(System.getProperty("muse4j.benchmark.ganModel",
        "models/sprites/src/main/resources/dev/muse4j/models/sprites"));
    if (!Files.isDirectory(model)) {
      throw new IllegalStateException(model.toAbsolutePath() + " is missing");
    }
    backend = RawOnnx.backend();
    generator = backend.image(model.toString());
    latents = new float[BATCH * 100];
    for (int i = 0; i < BATCH; i++) {
      System.arraycopy(Latent.random(1 + i, 100).values(), 0, latents, i * 100, 100);
    }
    session = RawOnnx.session(model.resolve("model.onnx"));
  }

  @TearDown(Level.Trial)
  public void close() throws OrtException {
    if (!pairs.isEmpty()) {
      System.out.println();
      System.out.println(pairs.summary("interleavedBatch64", BATCH, "sprites"));
    }
    generator.close();
    backend.close();
    session.close();
  }

  @Setup(Level.Iteration)
  public void iteration(IterationParams iteration) {
    pairs.iteration(iteration);
  }

  @Benchmark
  public int sdkBatch64() {
    ImageResult r = generator.generate(ImageRequest.builder().seed(1).count(BATCH).build());
    return r.images().size() + r.images().get(BATCH - 1).pixel(0, 0);
  }

  @Benchmark
  public float rawBatch64() throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor z = OnnxTensor.createTensor(env, FloatBuffer.wrap(latents), new long[] {BATCH, 100});
        OrtSession.Result result = session.run(Map.of("z", z))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] copy = new float[out.remaining()];
      out.get(copy);
      return copy[copy.length - 1];
    }
  }

  @Benchmark
  public double interleavedBatch64() throws Exception {
    return pairs.timePair(this::rawBatch64, this::sdkBatch64);
  }
}
