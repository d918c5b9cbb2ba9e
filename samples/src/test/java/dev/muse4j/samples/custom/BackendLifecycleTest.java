package dev.muse4j.samples.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.ClosedException;
import dev.muse4j.FinishReason;
import dev.muse4j.GenerationEvent;
import dev.muse4j.GenerationListener;
import dev.muse4j.GenerationTimeoutException;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Muse4j;
import dev.muse4j.Muse4jException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.UnsupportedCapabilityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle a third-party backend gets from the core without writing it, through the public API only: the
 * sample markov backend implements one text engine, and everything below comes with it.
 */
class BackendLifecycleTest {
  private static final TextRequest POEM = TextRequest.of("the river")
      .withSampling(SamplingConfig.builder().maxTokens(12).seed(7).build());

  @Test
  void asyncWorkRunsOnTheExecutorTheUserGaveAndMuse4jNeverShutsItDown() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-pool"));
    AtomicInteger tasks = new AtomicInteger();
    try (Backend markov = Muse4j.backend("markov", BackendConfig.empty().withExecutor(r -> {
      tasks.incrementAndGet();
      pool.execute(r);
    })); TextGenerator g = markov.text("verse")) {
      TextResult async = g.generateAsync(POEM).get();
      assertThat(async.text()).isEqualTo(g.generate(POEM).text());
      assertThat(tasks).hasValue(1);
    } finally {
      assertThat(pool.isShutdown()).isFalse();
      pool.shutdown();
    }
  }

  @Test
  void theListenerSeesEachGenerationStartProduceAndEndWithItsUsage() {
    List<String> events = new CopyOnWriteArrayList<>();
    GenerationListener listener = new GenerationListener() {
      @Override
      public void onStart(GenerationEvent e) {
        events.add("start " + e.backend() + " " + e.kind());
      }

      @Override
      public void onFirstOutput(GenerationEvent e) {
        events.add("first");
      }

      @Override
      public void onEnd(GenerationEvent e) {
        events.add("end " + e.finishReason().orElseThrow() + " " + e.usage().isPresent());
      }
    };
    try (Backend markov = Muse4j.backend("markov", BackendConfig.empty().withListener(listener));
         TextGenerator g = markov.text("verse")) {
      TextResult result = g.generate(POEM);
      assertThat(events).containsExactly("start markov TEXT", "first", "end " + result.finishReason() + " true");
    }
  }

  @Test
  void aListenerThatThrowsNeverBreaksAGeneration() {
    GenerationListener broken = new GenerationListener() {
      @Override
      public void onStart(GenerationEvent e) {
        throw new IllegalStateException("metrics are down");
      }

      @Override
      public void onEnd(GenerationEvent e) {
        throw new IllegalStateException("still down");
      }
    };
    try (Backend markov = Muse4j.backend("markov", BackendConfig.empty().withListener(broken));
         TextGenerator g = markov.text("verse")) {
      assertThat(g.generate(POEM).text()).isNotBlank();
      assertThat(g.generate(POEM).text()).isNotBlank();
    }
  }

  @Test
  void useAfterCloseNamesWhatWasClosed() {
    Backend markov = Muse4j.backend("markov");
    TextGenerator g = markov.text("verse");
    TextStream open = g.stream(POEM);
    markov.close();

    assertThat(open.result().finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThatThrownBy(() -> g.generate(POEM)).isInstanceOf(ClosedException.class).isInstanceOf(Muse4jException.class)
        .hasMessageContaining("text generator verse on backend markov is closed");
    assertThatThrownBy(() -> markov.text("verse")).isInstanceOf(ClosedException.class)
        .hasMessageContaining("backend markov is closed");
    CompletableFuture<TextResult> late = g.generateAsync(POEM);
    assertThat(late).isCompletedExceptionally();
  }

  @Test
  void aStreamIteratesOnceAndATimeoutOfZeroIsRefused() {
    try (Backend markov = Muse4j.backend("markov"); TextGenerator g = markov.text("verse");
         TextStream stream = g.stream(POEM)) {
      stream.iterator();
      assertThatThrownBy(stream::iterator).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("iterated only once");
    }
    assertThatThrownBy(() -> POEM.withTimeout(Duration.ZERO)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("timeout must be positive");
  }

  @Test
  void aStreamLeftPastItsTimeoutFailsWithATimeout() throws Exception {
    try (Backend markov = Muse4j.backend("markov"); TextGenerator g = markov.text("verse");
         TextStream stream = g.stream(POEM.withTimeout(Duration.ofMillis(20)))) {
      Thread.sleep(300); // the deadline passes while nobody reads
      assertThatThrownBy(() -> stream.iterator().hasNext()).isInstanceOf(GenerationTimeoutException.class)
          .hasMessageContaining("timeout of PT0.02S");
      assertThat(stream.isDone()).isTrue();
    }
  }

  @Test
  void cancellingACompletedFutureChangesNothing() throws Exception {
    try (Backend markov = Muse4j.backend("markov"); TextGenerator g = markov.text("verse")) {
      CompletableFuture<TextResult> done = g.generateAsync(POEM);
      TextResult result = done.get();
      assertThat(done.cancel(true)).isFalse();
      assertThat(done.get()).isSameAs(result);
    }
  }

  @Test
  void aKindTheBackendLacksNamesTheBackendAndWhatItCanDo() {
    try (Backend markov = Muse4j.backend("markov")) {
      assertThatThrownBy(() -> markov.image("verse")).isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("Backend 'markov' does not support image generation; it can do text generation");
    }
  }
}
