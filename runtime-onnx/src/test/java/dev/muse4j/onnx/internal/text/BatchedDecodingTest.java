package dev.muse4j.onnx.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.ConfigurationException;
import dev.muse4j.FinishReason;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.onnx.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batched decoding through the public API: concurrent streams of one generator with {@code batching=on} give exactly
 * the text each gives alone with batching off, whatever joins, leaves, stops or is cancelled beside them. Every test
 * has a timeout, so that a scheduling bug fails instead of hanging the build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchedDecodingTest {
  private static final ModelOptions ON = ModelOptions.defaults().withSetting("batching", "on");
  private static final ModelOptions OFF = ModelOptions.defaults().withSetting("batching", "off");
  private Backend onnx;
  private ExecutorService pool;

  @BeforeAll
  void open() {
    onnx = Muse4j.backend("onnx");
    pool = Executors.newCachedThreadPool();
  }

  /**
   * A generation on these tiny models takes less time than starting a thread, so streams would rarely meet: a longer
   * grace makes a group wait for streams that exist but have not asked for a step yet. Waits stay bounded.
   */
  @BeforeEach
  void longGrace() {
    StepBatcher.minGraceNanos = TimeUnit.MILLISECONDS.toNanos(500);
  }

  @AfterEach
  void usualGraceAndNothingLeftOpen() {
    StepBatcher.minGraceNanos = StepBatcher.MIN_GRACE_NANOS;
    assertThat(StepBatcher.OPEN_COHORTS.get()).as("batched caches left open after every stream ended").isZero();
  }

  @AfterAll
  void close() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    onnx.close();
  }

  private static TextRequest greedy(String prompt, int maxTokens) {
    return TextRequest.of(prompt).withSampling(SamplingConfig.greedy().toBuilder().maxTokens(maxTokens).build());
  }

  private static TextRequest seeded(String prompt, long seed, int maxTokens) {
    return TextRequest.of(prompt).withSampling(SamplingConfig.builder().seed(seed).temperature(1.0)
        .maxTokens(maxTokens).build());
  }

  /**
   * Eight different prompts of one length in tokens (a varied letter; the length each encodes to is asked of the
   * model), so that all eight decode in one batch.
   */
  private List<TextRequest> eightGreedy(String fixture, int maxTokens) {
    java.util.Map<Integer, List<TextRequest>> byLength = new java.util.HashMap<>();
    try (TextGenerator g = onnx.text(Fixtures.model(fixture), OFF)) {
      for (char c = 'a'; c <= 'z'; c++) {
        String prompt = "the sea " + c;
        int tokens = g.generate(greedy(prompt, 1)).usage().orElseThrow().promptTokens();
        List<TextRequest> same = byLength.computeIfAbsent(tokens, k -> new ArrayList<>());
        same.add(greedy(prompt, maxTokens));
        if (same.size() == 8) {
          return same;
        }
      }
    }
    throw new AssertionError("no eight prompts of one length: " + byLength.keySet());
  }

  private static List<TextRequest> eightSeeded() {
    List<TextRequest> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(seeded("the sea", 100 + i, 40));
    }
    return requests;
  }

  /** Each request's text alone, with batching off. */
  private List<TextResult> solo(String fixture, List<TextRequest> requests) {
    List<TextResult> results = new ArrayList<>();
    try (TextGenerator g = onnx.text(Fixtures.model(fixture), OFF)) {
      for (TextRequest r : requests) {
        results.add(g.generate(r));
      }
    }
    return results;
  }

  /** Runs every task at once, on its own thread; returns their results in order. */
  private <T> List<T> together(List<Callable<T>> tasks) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(pool.submit(() -> {
        start.await();
        return task.call();
      }));
    }
    start.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get(90, TimeUnit.SECONDS));
    }
    return results;
  }

  /**
   * Opens a stream per request on one generator (batching on), then reads each on its own thread, all at once, and
   * collects each stream's chunks.
   */
  private List<TextResult> concurrently(TextGenerator g, List<TextRequest> requests) throws Exception {
    List<Callable<TextResult>> tasks = new ArrayList<>();
    for (TextRequest r : requests) {
      TextStream stream = g.stream(r);
      tasks.add(() -> {
        StringBuilder text = new StringBuilder();
        try (TextStream s = stream) {
          for (TextChunk c : s) {
            text.append(c.text());
          }
          TextResult result = s.result();
          assertThat(result.text()).isEqualTo(text.toString());
          return result;
        }
      });
    }
    return together(tasks);
  }

  private static void assertSameTexts(List<TextResult> batched, List<TextResult> solo) {
    assertThat(batched).hasSameSizeAs(solo);
    for (int i = 0; i < solo.size(); i++) {
      assertThat(batched.get(i).text()).as("stream %d", i).isEqualTo(solo.get(i).text());
      assertThat(batched.get(i).finishReason()).as("stream %d", i).isEqualTo(solo.get(i).finishReason());
      assertThat(batched.get(i).usage()).as("stream %d", i).isEqualTo(solo.get(i).usage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32"})
  void eightGreedyStreamsEqualTheirSoloTexts(String fixture) throws Exception {
    List<TextRequest> requests = eightGreedy(fixture, 40);
    List<TextResult> solo = solo(fixture, requests);
    assertThat(solo.stream().map(r -> r.usage().orElseThrow().promptTokens()).distinct()).hasSize(1);
    assertBatchedTextsEqualSolo(fixture, requests, solo);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32"})
  void eightSeededStreamsEqualTheirSoloTexts(String fixture) throws Exception {
    List<TextRequest> requests = eightSeeded();
    List<TextResult> solo = solo(fixture, requests);
    assertThat(solo.stream().map(TextResult::text).distinct().count()).as("varied texts").isGreaterThan(1);
    assertBatchedTextsEqualSolo(fixture, requests, solo);
  }

  /** Runs the requests concurrently with batching on: each text equals its solo text, and steps really ran batched. */
  private void assertBatchedTextsEqualSolo(String fixture, List<TextRequest> requests, List<TextResult> solo)
      throws Exception {
    long before = StepBatcher.BATCHED_STEPS.get();
    long rowsBefore = StepBatcher.ROWS.get();
    long stepsBefore = StepBatcher.STEPS.get();
    try (TextGenerator g = onnx.text(Fixtures.model(fixture), ON)) {
      assertSameTexts(concurrently(g, requests), solo);
    }
    assertThat(StepBatcher.BATCHED_STEPS.get()).as("steps run as batches").isGreaterThan(before);
    double meanBatch = (double) (StepBatcher.ROWS.get() - rowsBefore) / (StepBatcher.STEPS.get() - stepsBefore);
    System.out.printf("%s: %.2f rows per decode step%n", fixture, meanBatch);
    assertThat(meanBatch).as("rows per decode step").isGreaterThan(1.5);
  }

  /**
   * Streams start at staggered times with prompts of several lengths and leave after different numbers of tokens:
   * groups form, merge and shrink as they go, and every text is still its solo text.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "llama-gqa", "merged-int32"})
  void streamsJoiningAndLeavingMidGenerationKeepTheirSoloTexts(String fixture) throws Exception {
    List<TextRequest> requests = new ArrayList<>();
    String[] prompts = {"the sea", "the sea a", "the sea ab", "the sea abc"};
    for (int i = 0; i < 8; i++) {
      requests.add(seeded(prompts[i / 2], 200 + i, 8 + 5 * i)); // pairs of one prompt, leaving at different steps
    }
    List<TextResult> solo = solo(fixture, requests);
    long before = StepBatcher.BATCHED_STEPS.get();
    try (TextGenerator g = onnx.text(Fixtures.model(fixture), ON)) {
      CountDownLatch[] chunks = new CountDownLatch[8];
      for (int i = 0; i < 8; i++) {
        chunks[i] = new CountDownLatch(3);
      }
      List<Callable<TextResult>> tasks = new ArrayList<>();
      List<java.util.concurrent.CompletableFuture<TextStream>> opened = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        opened.add(new java.util.concurrent.CompletableFuture<>());
      }
      for (int i = 0; i < 8; i++) {
        int index = i;
        tasks.add(() -> {
          if (index % 2 == 0) { // opens the pair's two streams once the previous pair is three chunks in
            if (index >= 2) {
              chunks[index - 2].await(60, TimeUnit.SECONDS);
            }
            opened.get(index).complete(g.stream(requests.get(index)));
            opened.get(index + 1).complete(g.stream(requests.get(index + 1)));
          }
          StringBuilder text = new StringBuilder();
          try (TextStream s = opened.get(index).get(60, TimeUnit.SECONDS)) {
            for (TextChunk c : s) {
              text.append(c.text());
              chunks[index].countDown();
            }
            return s.result();
          } finally {
            while (chunks[index].getCount() > 0) {
              chunks[index].countDown();
            }
          }
        });
      }
      assertSameTexts(together(tasks), solo);
    }
    assertThat(StepBatcher.BATCHED_STEPS.get()).as("steps run as batches").isGreaterThan(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-optimum", "merged-int32"})
  void aCancelledStreamLeavesTheOthersUnaffected(String fixture) throws Exception {
    List<TextRequest> requests = eightSeeded();
    List<TextResult> solo = solo(fixture, requests);
    try (TextGenerator g = onnx.text(Fixtures.model(fixture), ON)) {
      List<Callable<TextResult>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int index = i;
        tasks.add(() -> {
          TextStream s = g.stream(requests.get(index));
          try {
            int n = 0;
            for (TextChunk c : s) {
              if (index == 3 && ++n == 3) {
                s.close(); // cancels this stream only
                break;
              }
            }
            return s.result();
          } finally {
            s.close();
          }
        });
      }
      List<TextResult> results = together(tasks);
      for (int i = 0; i < 8; i++) {
        if (i == 3) {
          assertThat(results.get(i).finishReason()).isEqualTo(FinishReason.CANCELLED);
          assertThat(solo.get(i).text()).startsWith(results.get(i).text());
        } else {
          assertThat(results.get(i).text()).as("stream %d", i).isEqualTo(solo.get(i).text());
          assertThat(results.get(i).finishReason()).as("stream %d", i).isEqualTo(solo.get(i).finishReason());
        }
      }
      // The generator still decodes, batched, after a cancellation.
      assertSameTexts(concurrently(g, requests), solo);
    }
  }

  @Test
  void aStopStringInOneStreamDoesNotStopTheOthers() throws Exception {
    String fixture = "gpt2-optimum";
    List<TextRequest> plain = eightSeeded();
    List<TextResult> plainSolo = solo(fixture, plain);
    String text = plainSolo.get(5).text();
    assertThat(text.length()).as("a text long enough to cut").isGreaterThan(12);
    String stop = text.substring(8, 11);
    List<TextRequest> requests = new ArrayList<>(plain);
    requests.set(5, TextRequest.of("the sea").withSampling(plain.get(5).sampling().toBuilder()
        .stop(List.of(stop)).build()));
    List<TextResult> solo = solo(fixture, requests);
    assertThat(solo.get(5).finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(solo.get(5).text()).doesNotContain(stop);
    try (TextGenerator g = onnx.text(Fixtures.model(fixture), ON)) {
      List<TextResult> batched = concurrently(g, requests);
      assertSameTexts(batched, solo);
      for (int i = 0; i < 8; i++) {
        if (i != 5) {
          assertThat(batched.get(i).text()).isEqualTo(plainSolo.get(i).text());
        }
      }
    }
  }

  /** A stream nobody reads for a while holds the others up once, for the grace period, then falls out of step. */
  @Test
  void aStalledConsumerDoesNotStallTheOthers() throws Exception {
    String fixture = "gpt2-optimum";
    List<TextRequest> requests = eightSeeded();
    List<TextResult> solo = solo(fixture, requests);
    try (TextGenerator g = onnx.text(Fixtures.model(fixture), ON)) {
      CountDownLatch othersDone = new CountDownLatch(7);
      List<Callable<TextResult>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int index = i;
        tasks.add(() -> {
          try (TextStream s = g.stream(requests.get(index))) {
            int n = 0;
            for (TextChunk c : s) {
              if (index == 0 && ++n == 2) {
                assertThat(othersDone.await(60, TimeUnit.SECONDS)).as("the others finish meanwhile").isTrue();
              }
            }
            return s.result();
          } finally {
            if (index != 0) {
              othersDone.countDown();
            }
          }
        });
      }
      assertSameTexts(together(tasks), solo);
    }
  }

  @Test
  void theSettingIsOnOrOff() {
    assertThatThrownBy(() -> onnx.text(Fixtures.model("gpt2-optimum"),
        ModelOptions.defaults().withSetting("batching", "yes")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'batching' is 'on' or 'off'").hasMessageContaining("'yes'");
  }

  @Test
  void aCombinedCacheLayoutRefusesBatching() {
    String genai = Fixtures.shared("tiny-random-gpt2-genai");
    assertThatThrownBy(() -> onnx.text(genai, ON))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot decode its streams in batches");
    try (TextGenerator g = onnx.text(genai, OFF)) {
      assertThat(g).isNotNull(); // off, or left out, loads as before
    }
  }

  /** Generate (not stream), several choices, and a generator closed under running batches. */
  @Test
  void generateAndCloseWhileBatching() throws Exception {
    List<TextRequest> requests = eightSeeded();
    List<TextResult> solo = solo("gpt2-optimum", requests);
    TextGenerator g = onnx.text(Fixtures.model("gpt2-optimum"), ON);
    List<Callable<TextResult>> tasks = new ArrayList<>();
    for (TextRequest r : requests) {
      tasks.add(() -> g.generate(r));
    }
    assertSameTexts(together(tasks), solo);
    List<Callable<String>> endless = new ArrayList<>();
    CountDownLatch started = new CountDownLatch(4);
    for (int i = 0; i < 4; i++) {
      endless.add(() -> {
        try (TextStream s = g.stream(seeded("the sea", 7, 120))) {
          for (TextChunk c : s) {
            started.countDown();
          }
          return s.result().finishReason().name();
        } catch (RuntimeException e) {
          return e.getClass().getSimpleName();
        }
      });
    }
    List<Future<String>> futures = new ArrayList<>();
    for (Callable<String> c : endless) {
      futures.add(pool.submit(c));
    }
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
    g.close();
    for (Future<String> f : futures) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isIn("CANCELLED", "LENGTH", "STOP", "GenerationCancelledException",
          "ClosedException");
    }
  }
}
