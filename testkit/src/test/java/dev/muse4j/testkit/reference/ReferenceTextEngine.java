package dev.muse4j.testkit.reference;

import dev.muse4j.ChatMessage;
import dev.muse4j.FinishReason;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextRequest;
import dev.muse4j.Usage;
import dev.muse4j.spi.Cancellation;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.TextEngine;
import dev.muse4j.spi.TextOutcome;
import dev.muse4j.spi.TextRun;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Words drawn from a seeded generator, one per pull, with a small delay per word. */
final class ReferenceTextEngine implements TextEngine {
  private static final String[] WORDS = {
    ".", "moon", "river", "song", "light", "stone", "wind", "dream", "rain", "sea", "night", "gold", "autumn",
    "leaf", "fire", "snow", "bird", "quiet", "falls", "sings", "over", "under", "the", "a", "and", "of", "in",
  };

  private final Duration tokenDelay;

  ReferenceTextEngine(Duration tokenDelay) {
    this.tokenDelay = tokenDelay;
  }

  @Override
  public TextRun start(Job<TextRequest> job, boolean streamed) {
    TextRequest request = job.request();
    SamplingConfig sampling = request.sampling();
    String prompt = request.prompt().orElseGet(() -> {
      StringBuilder sb = new StringBuilder();
      for (ChatMessage m : request.messages()) {
        sb.append(m.role().wireName()).append(": ").append(m.content()).append('\n');
      }
      return sb.toString();
    });
    long seed = sampling.seed().orElseGet(System::nanoTime);
    return new Run(prompt.trim().split("\\s+").length, sampling.maxTokens().orElse(256), sampling.isGreedy(),
        new SplittableRandom(seed ^ prompt.hashCode()), job.cancellation());
  }

  @Override
  public void close() {}

  private final class Run implements TextRun {
    private final int promptTokens;
    private final int maxTokens;
    private final boolean greedy;
    private final SplittableRandom random;
    private final Cancellation cancellation;
    private int produced;
    private @Nullable TextOutcome outcome;

    Run(int promptTokens, int maxTokens, boolean greedy, SplittableRandom random, Cancellation cancellation) {
      this.promptTokens = promptTokens;
      this.maxTokens = maxTokens;
      this.greedy = greedy;
      this.random = random;
      this.cancellation = cancellation;
    }

    @Override
    public @Nullable String next() {
      if (outcome != null) {
        return null;
      }
      if (produced >= maxTokens) {
        outcome = TextOutcome.of(FinishReason.LENGTH, Usage.of(promptTokens, produced));
        return null;
      }
      if (!tokenDelay.isZero()) {
        try {
          TimeUnit.NANOSECONDS.sleep(tokenDelay.toNanos());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          cancellation.cancel();
        }
      }
      if (cancellation.isCancelled()) {
        outcome = TextOutcome.of(FinishReason.CANCELLED, null);
        return null;
      }
      int word = greedy ? 1 + produced % (WORDS.length - 1) : random.nextInt(WORDS.length);
      produced++;
      if (word == 0 && produced > 3) {
        outcome = TextOutcome.of(FinishReason.STOP, Usage.of(promptTokens, produced));
        return null;
      }
      return (produced == 1 ? "" : " ") + WORDS[Math.max(word, 1)];
    }

    @Override
    public TextOutcome outcome() {
      return outcome != null ? outcome : TextOutcome.of(FinishReason.CANCELLED, null);
    }

    @Override
    public void close() {}
  }
}
