package dev.muse4j.benchmarks;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.openjdk.jmh.runner.IterationType;

/**
 * The batching figures that a shared machine cannot spoil: every invocation runs, back to back and in a rotating
 * order, one stream alone, eight concurrent streams with batching off and eight with batching on (128 greedy tokens
 * each, the prompt of {@link TextGenerationBenchmark}), so the three see the same background load. At the end of the
 * trial it prints each one's median aggregate rate and the medians of the per-invocation ratios: eight batched
 * against one, eight unbatched against one, and batched against unbatched at eight.
 *
 * <p>JMH state; JMH calls it from one thread at a time.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public class BatchingInterleavedBenchmark {
  static final int STREAMS = 8;
  static final int NEW_TOKENS = ConcurrentTextBenchmark.NEW_TOKENS;

  private Backend backend;
  private TextGenerator off;
  private TextGenerator on;
  private ExecutorService pool;
  private boolean measuring;
  private int invocation;
  /** Per invocation: aggregate tokens/s of one stream, eight unbatched, eight batched. */
  private final List<double[]> rates = new ArrayList<>();

  @Setup(Level.Trial)
  public void open() {
    Path model = Path.of(System.getProperty("muse4j.benchmark.model", "build-models/gpt2-small"));
    if (!Files.isDirectory(model)) {
      throw new IllegalStateException(model.toAbsolutePath() + " is missing; make it with "
          + "/usr/bin/python3 tools/fixtures/make_decoders.py --benchmark");
    }
    BackendConfig config = RawOnnx.config();
    backend = Muse4j.backend("onnx", config);
    off = backend.text(model.toString(), ModelOptions.defaults().withSetting("batching", "off"));
    on = backend.text(model.toString(), ModelOptions.defaults().withSetting("batching", "on"));
    pool = Executors.newFixedThreadPool(STREAMS);
  }

  @Setup(Level.Iteration)
  public void iteration(IterationParams iteration) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
  }

  @TearDown(Level.Trial)
  public void close() {
    if (!rates.isEmpty()) {
      double[] one = column(0);
      double[] eightOff = column(1);
      double[] eightOn = column(2);
      double[] onOverOne = new double[rates.size()];
      double[] offOverOne = new double[rates.size()];
      double[] onOverOff = new double[rates.size()];
      for (int i = 0; i < rates.size(); i++) {
        double[] r = rates.get(i);
        onOverOne[i] = r[2] / r[0];
        offOverOne[i] = r[1] / r[0];
        onOverOff[i] = r[2] / r[1];
      }
      System.out.printf(Locale.ROOT, "%nbatching interleaved, %d invocations: tokens/s median: 1 stream %.1f, 8 off "
          + "%.1f, 8 on %.1f; per-invocation ratios (median, range): 8 on / 1 = %.2f (%.2f-%.2f), 8 off / 1 = %.2f "
          + "(%.2f-%.2f), 8 on / 8 off = %.2f (%.2f-%.2f)%n", rates.size(), median(one), median(eightOff),
          median(eightOn), median(onOverOne), min(onOverOne), max(onOverOne), median(offOverOne), min(offOverOne),
          max(offOverOne), median(onOverOff), min(onOverOff), max(onOverOff));
    }
    pool.shutdownNow();
    off.close();
    on.close();
    backend.close();
  }

  private double[] column(int c) {
    return rates.stream().mapToDouble(r -> r[c]).toArray();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  @Benchmark
  public double interleaved() throws Exception {
    double[] r = new double[3];
    int first = invocation++ % 3;
    for (int k = 0; k < 3; k++) {
      int which = (first + k) % 3;
      r[which] = which == 0 ? rate(off, 1) : rate(which == 1 ? off : on, STREAMS);
    }
    if (measuring) {
      rates.add(r);
    }
    return r[2];
  }

  /** Aggregate tokens per second of {@code streams} concurrent streams. */
  private double rate(TextGenerator generator, int streams) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      futures.add(pool.submit(() -> {
        start.await();
        TextRequest request = TextRequest.of(TextGenerationBenchmark.PROMPT)
            .withSampling(SamplingConfig.greedy().toBuilder().maxTokens(NEW_TOKENS).build());
        try (TextStream stream = generator.stream(request)) {
          for (TextChunk chunk : stream) {
            // read every chunk, as a caller would
          }
          return stream.result().usage().orElseThrow().completionTokens();
        }
      }));
    }
    long begin = System.nanoTime();
    start.countDown();
    int total = 0;
    for (Future<Integer> f : futures) {
      int tokens = f.get();
      if (tokens != NEW_TOKENS) {
        throw new IllegalStateException("generated " + tokens + " tokens");
      }
      total += tokens;
    }
    return total * 1e9 / (System.nanoTime() - begin);
  }
}
