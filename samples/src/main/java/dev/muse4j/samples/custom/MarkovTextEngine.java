package dev.muse4j.samples.custom;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Verse from a {@link MarkovChain}, one word per pull. The core owns the rest (streams, choices, async, closing),
 * so this engine only draws words. A quatrain (four lines) ends generation with {@link FinishReason#STOP}.
 *
 * <p>Thread-safe: the chain is read-only, and each run keeps its own history and random generator.
 */
final class MarkovTextEngine implements TextEngine {
  private static final int LINES_PER_POEM = 4;

  private final MarkovChain chain;

  MarkovTextEngine(MarkovChain chain) {
    this.chain = chain;
  }

  @Override
  public TextRun start(Job<TextRequest> job, boolean streamed) {
    SamplingConfig sampling = job.request().sampling();
    List<String> history = new ArrayList<>(words(promptOf(job.request())));
    return new Run(history, sampling, new SplittableRandom(sampling.seed().orElseGet(System::nanoTime)),
        job.cancellation());
  }

  @Override
  public void close() {}

  /** One poem: each {@link #next()} draws words until there is text to show. */
  private final class Run implements TextRun {
    private final List<String> history;
    private final int promptTokens;
    private final int maxTokens;
    private final double temperature;
    private final SplittableRandom random;
    private final Cancellation cancellation;
    private final StopMatcher stops;
    private int tokens;
    private int lines;
    private boolean lineStart;
    private @Nullable TextOutcome outcome;

    Run(List<String> history, SamplingConfig sampling, SplittableRandom random, Cancellation cancellation) {
      this.history = history;
      this.promptTokens = history.size();
      this.maxTokens = sampling.maxTokens().orElseThrow();
      this.temperature = sampling.temperature().orElseThrow();
      this.random = random;
      this.cancellation = cancellation;
      this.stops = new StopMatcher(sampling.stop().orElse(List.of()));
      this.lineStart = history.isEmpty();
    }

    @Override
    public @Nullable String next() {
      while (outcome == null) {
        if (cancellation.isCancelled()) {
          outcome = TextOutcome.of(FinishReason.CANCELLED, null);
          return null;
        }
        if (tokens >= maxTokens) {
          return end(FinishReason.LENGTH, stops.flush());
        }
        String word = chain.draw(history, temperature, random);
        tokens++;
        String piece;
        if (word.equals(MarkovChain.END)) {
          history.clear();
          lines++;
          piece = "\n";
          lineStart = true;
        } else {
          history.add(word);
          piece = (lineStart ? "" : " ") + word;
          lineStart = false;
        }
        StopMatcher.Step step = stops.accept(piece);
        if (step.stopped()) {
          return end(FinishReason.STOP, step.safeText());
        }
        if (lines == LINES_PER_POEM) {
          return end(FinishReason.STOP, step.safeText() + stops.flush());
        }
        if (!step.safeText().isEmpty()) {
          return step.safeText();
        }
      }
      return null;
    }

    /** Ends the poem; returns its last text, or null when there is none. */
    private @Nullable String end(FinishReason reason, String last) {
      outcome = TextOutcome.of(reason, Usage.of(promptTokens, tokens));
      return last.isEmpty() ? null : last;
    }

    @Override
    public TextOutcome outcome() {
      return outcome != null ? outcome : TextOutcome.of(FinishReason.CANCELLED, null);
    }

    @Override
    public void close() {}
  }

  private static String promptOf(TextRequest request) {
    if (!request.isChat()) {
      return request.prompt().orElseThrow();
    }
    List<ChatMessage> messages = request.messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == ChatMessage.Role.USER) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  private static List<String> words(String text) {
    return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }
}
