package dev.muse4j.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.Image;
import dev.muse4j.ImageResult;
import dev.muse4j.Muse4j;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
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
 * The SDK's tiled style transfer of a 1920x1080 picture against the limit: the raw ONNX Runtime runs of the same
 * model for the same number of 224x224 tiles.
 *
 * <ul>
 *   <li>{@code rawTiles}: {@code OrtSession.run} once per tile ({@value #TILES} tiles, what the SDK cuts a
 *       1920x1080 picture into with the default overlap of 28), each from a ready float tensor; nothing cut,
 *       converted or blended.</li>
 *   <li>{@code sdkTransfer}: {@code StyleTransfer.transfer} of the picture: RGB to planes, tiles cut with mirrored
 *       borders, layout and range conversion, the same runs, feathered blending, the picture made again.</li>
 *   <li>{@code interleaved}: one of each back to back per invocation, their order alternating, each timed; at the
 *       end of the trial it prints the medians, megapixels per second and the median of the per-pair ratios.</li>
 * </ul>
 * The model is zoo-shaped (input1/output1, 1x3x224x224, conv 32 wide, instance norm, stride 2, upsample) from
 * {@code tools/fixtures/make_style.py --benchmark} in {@code build-models/style-224}. Both sides use the same
 * session options: {@code -Dmuse4j.benchmark.threads} intra-op threads (default 1), one inter-op thread.
 *
 * <p>JMH state; JMH calls it from one thread at a time.
 *
 * @since 0.2.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 5, time = 10)
public class StyleTransferBenchmark {
  static final int WIDTH = 1920;
  static final int HEIGHT = 1080;
  /** 10 columns by 6 rows of 224 with at least 28 pixels of overlap. */
  static final int TILES = 60;

  private Backend backend;
  private StyleTransfer transfer;
  private Image picture;
  private OrtSession session;
  private float[] tile;

  @Setup(Level.Trial)
  public void open() throws OrtException {
    Path model = Path.of(System.getProperty("muse4j.benchmark.styleModel", "build-models/style-224"));
    if (!Files.isDirectory(model)) {
      throw new IllegalStateException(model.toAbsolutePath() + " is missing; make it with "
          + "/usr/bin/python3 tools/fixtures/make_style.py --benchmark");
    }
    BackendConfig config = RawOnnx.config();
    backend = Muse4j.backend("onnx", config);
    transfer = backend.style(model.toString());
    byte[] rgb = new byte[WIDTH * HEIGHT * 3];
    Random random = new Random(1);
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i / 3 % WIDTH / 8 + random.nextInt(32));
    }
    picture = Image.ofRgb(WIDTH, HEIGHT, rgb);
    int[] steps = new int[1];
    transfer.transfer(StyleRequest.builder(picture).progressListener(p -> steps[0] = p.totalSteps()).build());
    if (steps[0] != TILES) {
      throw new IllegalStateException("the SDK ran " + steps[0] + " tiles, not " + TILES);
    }
    session = RawOnnx.session(model.resolve("mosaic-9.onnx"));
    tile = new float[3 * 224 * 224];
    for (int i = 0; i < tile.length; i++) {
      tile[i] = random.nextInt(256);
    }
  }

  @TearDown(Level.Trial)
  public void close() throws OrtException {
    if (!pairs.isEmpty()) {
      System.out.println();
      System.out.println(pairs.summary("interleaved", WIDTH * HEIGHT / 1e6, "MP"));
      System.out.println(cpuPairs.summary("interleaved, thread CPU time", 0, ""));
    }
    transfer.close();
    backend.close();
    session.close();
  }

  @Benchmark
  public int sdkTransfer() {
    ImageResult r = transfer.transfer(StyleRequest.of(picture));
    return r.image().width();
  }

  @Benchmark
  public long rawTiles() throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long check = 0;
    for (int t = 0; t < TILES; t++) {
      try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(tile), new long[] {1, 3, 224, 224});
          OrtSession.Result out = session.run(Map.of("input1", in))) {
        check += ((OnnxTensor) out.get(0)).getFloatBuffer().remaining();
      }
    }
    return check;
  }

  /** Per invocation of {@link #interleaved} after warm-up: wall-clock ms. */
  private final InterleavedPairs pairs = new InterleavedPairs();
  /**
   * The same pairs in CPU time of the benchmark thread, which with one intra-op thread runs the whole model too (ONNX
   * Runtime runs on the calling thread): what other processes on a shared machine do not inflate.
   */
  private final InterleavedPairs cpuPairs = new InterleavedPairs();
  private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();

  @Setup(Level.Iteration)
  public void iteration(IterationParams iteration) {
    pairs.iteration(iteration);
    cpuPairs.iteration(iteration);
  }

  @Benchmark
  public long interleaved() throws OrtException {
    boolean rawFirst = pairs.rawFirst();
    cpuPairs.rawFirst();
    long a = System.nanoTime();
    long ca = cpu.getCurrentThreadCpuTime();
    long check = rawFirst ? rawTiles() : sdkTransfer();
    long b = System.nanoTime();
    long cb = cpu.getCurrentThreadCpuTime();
    check += rawFirst ? sdkTransfer() : rawTiles();
    long c = System.nanoTime();
    long cc = cpu.getCurrentThreadCpuTime();
    pairs.add(rawFirst, (b - a) / 1e6, (c - b) / 1e6);
    cpuPairs.add(rawFirst, (cb - ca) / 1e6, (cc - cb) / 1e6);
    return check;
  }
}
