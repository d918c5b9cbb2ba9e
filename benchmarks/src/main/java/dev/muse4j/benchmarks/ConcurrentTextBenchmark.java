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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Aggregate throughput of concurrent streams on one generator: each invocation starts {@code streams} streams at once
 * (one thread each), every one generating 128 greedy tokens, and waits for all of them. Aggregate tokens per second
 * is {@code streams × 128} divided by the invocation's time; at the end of the trial it prints that rate and the
 * median time to the first chunk of a stream under that load, and the heap each stream's thread allocates per
 * decoded token after its first chunk. {@code batching} is the model setting: off, every stream runs its own
 * session run per token; on, streams at the same cache length share one. Same model and session options as
 * {@link TextGenerationBenchmark}.
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
@Measurement(iterations = 3)
public class ConcurrentTextBenchmark {
  static final int NEW_TOKENS = 128;

  @Param({"1", "2", "4", "8"})
  public int streams;

  /** The model setting {@code batching}: whether streams at the same length share one session run per step. */
  @Param({"off", "on"})
  public String batching;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  private Backend backend;
  private TextGenerator generator;
  private ExecutorService pool;
  private boolean measuring;
  private final List<Double> invocationMillis = new ArrayList<>();
  private final List<Double> firstChunkMillis = new ArrayList<>();
  private final List<Double> decodeBytesPerToken = new ArrayList<>();

  @Setup(Level.Trial)
  public void open() {
    Path model = Path.of(System.getProperty("muse4j.benchmark.model", "build-models/gpt2-small"));
    if (!Files.isDirectory(model)) {
      throw new IllegalStateException(model.toAbsolutePath() + " is missing; make it with "
          + "/usr/bin/python3 tools/fixtures/make_decoders.py --benchmark");
    }
    BackendConfig config = RawOnnx.config();
    backend = Muse4j.backend("onnx", config);
    generator = backend.text(model.toString(), ModelOptions.defaults().withSetting("batching", batching));
    pool = Executors.newFixedThreadPool(streams);
  }

  @Setup(Level.Iteration)
  public void iteration(IterationParams iteration) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
  }

  @TearDown(Level.Trial)
  public void close() {
    double[] runs = invocationMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] first = firstChunkMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] bytes = decodeBytesPerToken.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (runs.length > 0) {
      System.out.printf(Locale.ROOT, "%nconcurrent streams=%d batching=%s: %d invocations; aggregate %.1f tokens/s "
          + "(median; best %.1f); time to first chunk median %.0f ms, max %.0f ms; heap per decoded token %.0f bytes "
          + "(median over streams)%n", streams, batching, runs.length, streams * NEW_TOKENS * 1000 / median(runs),
          streams * NEW_TOKENS * 1000 / runs[0], median(first), first[first.length - 1], median(bytes));
    }
    pool.shutdownNow();
    generator.close();
    backend.close();
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  @Benchmark
  public int concurrent128() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> futures = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      futures.add(pool.submit(() -> {
        start.await();
        long begin = System.nanoTime();
        long first = -1;
        long bytesAtFirst = 0;
        int tokens;
        TextRequest request = TextRequest.of(TextGenerationBenchmark.PROMPT)
            .withSampling(SamplingConfig.greedy().toBuilder().maxTokens(NEW_TOKENS).build());
        try (TextStream stream = generator.stream(request)) {
          for (TextChunk chunk : stream) {
            if (first < 0 && !chunk.text().isEmpty()) {
              first = System.nanoTime() - begin;
              bytesAtFirst = THREADS.getCurrentThreadAllocatedBytes();
            }
          }
          tokens = stream.result().usage().orElseThrow().completionTokens();
        }
        // The decode steps' heap on this stream's thread (the leader of a batched step counts that step's objects).
        long decodeBytes = THREADS.getCurrentThreadAllocatedBytes() - bytesAtFirst;
        return new long[] {first, tokens, decodeBytes};
      }));
    }
    long begin = System.nanoTime();
    start.countDown();
    int total = 0;
    List<Double> firsts = new ArrayList<>();
    List<Double> bytes = new ArrayList<>();
    for (Future<long[]> f : futures) {
      long[] r = f.get();
      if (r[1] != NEW_TOKENS) {
        throw new IllegalStateException("generated " + r[1] + " tokens");
      }
      total += (int) r[1];
      firsts.add(r[0] / 1e6);
      bytes.add((double) r[2] / (r[1] - 1));
    }
    if (measuring) {
      invocationMillis.add((System.nanoTime() - begin) / 1e6);
      firstChunkMillis.addAll(firsts);
      decodeBytesPerToken.addAll(bytes);
    }
    return total;
  }
}
