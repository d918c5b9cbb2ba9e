package dev.muse4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.muse4j.ClosedException;
import dev.muse4j.ChatMessage;
import dev.muse4j.FinishReason;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Muse4jException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The promises every {@link TextGenerator} keeps. Extend this class in a backend's tests and implement
 * {@link #openGenerator()}; override the other hooks where the backend differs.
 *
 * <pre>{@code
 * class MyTextGeneratorTest extends TextGeneratorContract {
 *   @Override protected TextGenerator openGenerator() {
 *     return Muse4j.backend("mine").text("tiny-model");
 *   }
 * }
 * }</pre>
 *
 * <p>One generator is opened for the whole class and shared by its tests, as applications share one; tests that
 * close a generator open their own. Not thread-safe itself; JUnit runs its tests one at a time.
 *
 * @since 0.1.0
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TextGeneratorContract {
  /** How long a closed stream may take to end before the contract fails. Generous: this is not a speed test. */
  protected static final Duration CANCEL_BOUND = Duration.ofSeconds(20);

  private TextGenerator generator;

  /** Creates the contract. */
  protected TextGeneratorContract() {}

  /**
   * Opens a new generator for the backend under test. Called once for the shared generator, and again by tests that
   * need their own.
   *
   * @return a new generator; the contract closes it
   */
  protected abstract TextGenerator openGenerator();

  /**
   * A small request the backend can answer quickly: a plain prompt, a seed and a token limit of 16.
   *
   * @return the request
   */
  protected TextRequest request() {
    return TextRequest.of("Once upon a time")
        .withSampling(SamplingConfig.builder().maxTokens(16).seed(42).temperature(0.8).build());
  }

  /**
   * A request that would run for a long time unless cancelled.
   *
   * @return the request
   */
  protected TextRequest longRequest() {
    return request().withSampling(request().sampling().toBuilder().maxTokens(100_000).build());
  }

  /**
   * Whether the same request with the same seed gives the same text every time. Local backends promise this; remote
   * servers usually do not.
   *
   * @return {@code true} if seeded generation is deterministic
   */
  protected boolean deterministicWithSeed() {
    return true;
  }

  /**
   * Whether the generator accepts chat requests.
   *
   * @return {@code true} if it does
   */
  protected boolean supportsChat() {
    return true;
  }

  /**
   * Whether the backend reports token usage on every result.
   *
   * @return {@code true} if it does
   */
  protected boolean reportsUsage() {
    return true;
  }

  /**
   * The shared generator.
   *
   * @return the generator opened for this class
   */
  protected final TextGenerator generator() {
    return generator;
  }

  @BeforeAll
  final void openSharedGenerator() {
    generator = openGenerator();
  }

  @AfterAll
  final void closeSharedGenerator() {
    if (generator != null) {
      generator.close();
    }
  }

  @Test
  public void generateReturnsTextWithAReasonUsageAndTimings() {
    TextResult result = generator().generate(request());

    assertThat(result.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
    assertThat(result.choices()).hasSize(1);
    assertThat(result.timings().total()).isGreaterThanOrEqualTo(result.timings().timeToFirstToken());
    if (reportsUsage()) {
      assertThat(result.usage()).as("usage").isPresent();
      assertThat(result.usage().orElseThrow().promptTokens()).isPositive();
      assertThat(result.usage().orElseThrow().completionTokens()).isBetween(0, 16);
      if (!result.text().isEmpty()) {
        assertThat(result.usage().orElseThrow().completionTokens()).isPositive();
      }
    }
  }

  @Test
  public void maxTokensBoundsTheOutput() {
    TextRequest oneToken = request().withSampling(request().sampling().toBuilder().maxTokens(1).build());

    TextResult result = generator().generate(oneToken);

    assertThat(result.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
    result.usage().ifPresent(u -> assertThat(u.completionTokens()).isLessThanOrEqualTo(1));
  }

  @Test
  public void streamedChunksConcatenateToTheResultText() {
    StringBuilder streamed = new StringBuilder();
    TextResult result;
    try (TextStream stream = generator().stream(request())) {
      for (TextChunk chunk : stream) {
        assertThat(chunk.text()).isNotEmpty();
        streamed.append(chunk.text());
      }
      result = stream.result();
      assertThat(stream.isDone()).isTrue();
      assertThat(stream.textSoFar()).isEqualTo(result.text());
    }

    assertThat(streamed.toString()).isEqualTo(result.text());
    assertThat(result.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
  }

  @Test
  public void streamingEqualsNonStreamingWithASeed() {
    assumeTrue(deterministicWithSeed(), "the backend does not promise seeded determinism");

    String generated = generator().generate(request()).text();
    String streamed;
    try (TextStream stream = generator().stream(request())) {
      streamed = stream.result().text();
    }

    assertThat(streamed).isEqualTo(generated);
  }

  @Test
  public void sameSeedGivesTheSameText() {
    assumeTrue(deterministicWithSeed(), "the backend does not promise seeded determinism");

    assertThat(generator().generate(request()).text()).isEqualTo(generator().generate(request()).text());
  }

  @Test
  public void resultWithoutIterationConsumesTheWholeStream() {
    try (TextStream stream = generator().stream(request())) {
      TextResult result = stream.result();
      assertThat(result.text()).isEqualTo(stream.textSoFar());
    }
  }

  @Test
  public void closingAStreamCancelsItPromptly() {
    assertTimeoutPreemptively(CANCEL_BOUND, () -> {
      TextStream stream = generator().stream(longRequest());
      Iterator<TextChunk> chunks = stream.iterator();
      if (chunks.hasNext()) {
        chunks.next();
      }
      stream.close();

      TextResult result = stream.result();
      assertThat(stream.isDone()).isTrue();
      assertThat(result.finishReason()).isIn(FinishReason.CANCELLED, FinishReason.STOP, FinishReason.LENGTH);
      assertThat(result.text()).isEqualTo(stream.textSoFar());
      while (chunks.hasNext()) {
        chunks.next();
      }
      stream.close();
    }, "closing a stream must end generation promptly");
  }

  @Test
  public void closingFromAnotherThreadWakesABlockedReader() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      TextStream stream = generator().stream(longRequest());
      CountDownLatch reading = new CountDownLatch(1);
      Future<Integer> reader = pool.submit(() -> {
        int n = 0;
        reading.countDown();
        for (TextChunk ignored : stream) {
          n++;
        }
        return n;
      });
      reading.await();
      stream.close();
      assertThat(reader.get(CANCEL_BOUND.toMillis(), TimeUnit.MILLISECONDS)).isNotNegative();
      assertThat(stream.isDone()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void aStreamIteratesOnlyOnce() {
    try (TextStream stream = generator().stream(request())) {
      stream.iterator();
      assertThatThrownBy(stream::iterator).isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  public void streamingSeveralCompletionsIsRejected() {
    assertThatThrownBy(() -> generator().stream(request().withCount(2)).close())
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("count");
  }

  @Test
  public void severalCompletionsComeAsChoices() {
    TextResult result = generator().generate(request().withCount(2));

    assertThat(result.choices()).hasSize(2);
    assertThat(result.choices().get(0).index()).isZero();
    assertThat(result.choices().get(1).index()).isEqualTo(1);
    assertThat(result.text()).isEqualTo(result.choices().get(0).text());
  }

  @Test
  public void generateAsyncCompletesWithTheSameText() throws Exception {
    TextResult async = generator().generateAsync(request()).get(60, TimeUnit.SECONDS);

    assertThat(async.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
    if (deterministicWithSeed()) {
      assertThat(async.text()).isEqualTo(generator().generate(request()).text());
    }
  }

  @Test
  public void anInterruptedCallerGetsACancellationAndKeepsItsInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> generator().generate(longRequest()))
          .isInstanceOf(GenerationCancelledException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  public void concurrentStreamsAllComplete() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> futures = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          StringBuilder sb = new StringBuilder();
          try (TextStream stream = generator().stream(request())) {
            for (TextChunk chunk : stream) {
              sb.append(chunk.text());
            }
            assertThat(stream.result().text()).isEqualTo(sb.toString());
          }
          return sb.toString();
        }));
      }
      start.countDown();
      List<String> texts = new ArrayList<>();
      for (Future<String> f : futures) {
        texts.add(f.get(120, TimeUnit.SECONDS));
      }
      if (deterministicWithSeed()) {
        assertThat(texts).containsOnly(texts.get(0));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void chatRequestsGetAReply() {
    assumeTrue(supportsChat(), "the generator does not take chat requests");
    TextRequest chat = TextRequest.chat(ChatMessage.system("You write short poems."),
        ChatMessage.user("A poem about rain")).withSampling(request().sampling());

    TextResult result = generator().generate(chat);

    assertThat(result.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
  }

  @Test
  public void aClosedGeneratorRefusesWork() {
    TextGenerator own = openGenerator();
    own.close();
    own.close();

    assertThatThrownBy(() -> own.generate(request())).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> own.stream(request())).isInstanceOf(ClosedException.class);
  }

  @Test
  public void closingTheGeneratorEndsItsOpenStreams() {
    TextGenerator own = openGenerator();
    TextStream stream = own.stream(longRequest());
    assertTimeoutPreemptively(CANCEL_BOUND, () -> {
      own.close();
      try {
        stream.result();
      } catch (Muse4jException acceptable) {
        // A backend may end a stream of a closed generator with an error instead of a cancelled result.
      }
      assertThat(stream.isDone()).isTrue();
    }, "closing a generator must end its streams");
    stream.close();
  }
}
