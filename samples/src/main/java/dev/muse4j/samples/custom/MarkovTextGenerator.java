package dev.muse4j.samples.custom;

import dev.muse4j.ChatMessage;
import dev.muse4j.FinishReason;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Usage;
import dev.muse4j.spi.QueuedTextStream;
import dev.muse4j.spi.TextChoices;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Generates verse from a {@link MarkovChain} on a worker thread and hands it over through a
 * {@link QueuedTextStream}, which keeps the streaming promises (cancellation, result = concatenated chunks).
 * A quatrain (four lines) ends generation with {@link FinishReason#STOP}.
 */
final class MarkovTextGenerator implements TextGenerator {
  private static final int LINES_PER_POEM = 4;

  private final String model;
  private final MarkovChain chain;
  private final SamplingConfig defaults;
  private final Consumer<MarkovTextGenerator> onClose;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "markov-generator");
    t.setDaemon(true);
    return t;
  });
  private final Set<QueuedTextStream> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  MarkovTextGenerator(String model, MarkovChain chain, SamplingConfig defaults, Consumer<MarkovTextGenerator> onClose) {
    this.model = model;
    this.chain = chain;
    this.defaults = defaults;
    this.onClose = onClose;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public TextResult generate(TextRequest request) {
    checkOpen();
    if (request.count() == 1) {
      try (TextStream stream = start(request, 0)) {
        return stream.result();
      }
    }
    return TextChoices.generateEach(request, i -> start(request, i));
  }

  @Override
  public TextStream stream(TextRequest request) {
    checkOpen();
    TextChoices.requireOne(request);
    return start(request, 0);
  }

  private QueuedTextStream start(TextRequest request, int choice) {
    SamplingConfig sampling = SamplingConfig.resolve(request.sampling(), defaults, SamplingConfig.empty())
        .withDefaults(SamplingConfig.defaults());
    List<String> history = new ArrayList<>(words(promptOf(request)));
    int promptTokens = history.size();
    SplittableRandom random = new SplittableRandom(sampling.seed().orElseGet(System::nanoTime) + choice);
    QueuedTextStream stream = new QueuedTextStream();
    streams.add(stream);
    workers.execute(() -> {
      try {
        run(stream, history, promptTokens, sampling, random);
      } catch (RuntimeException e) {
        stream.fail(e);
      } finally {
        streams.remove(stream);
      }
    });
    return stream;
  }

  private void run(QueuedTextStream stream, List<String> history, int promptTokens, SamplingConfig sampling,
      SplittableRandom random) {
    StopMatcher stops = new StopMatcher(sampling.stop().orElse(List.of()));
    int maxTokens = sampling.maxTokens().orElseThrow();
    double temperature = sampling.temperature().orElseThrow();
    int tokens = 0;
    int lines = 0;
    boolean lineStart = history.isEmpty();
    while (tokens < maxTokens && !stream.isCancelled()) {
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
      stream.emit(step.safeText());
      if (step.stopped()) {
        stream.complete(FinishReason.STOP, Usage.of(promptTokens, tokens), null);
        return;
      }
      if (lines == LINES_PER_POEM) {
        stream.emit(stops.flush());
        stream.complete(FinishReason.STOP, Usage.of(promptTokens, tokens), null);
        return;
      }
    }
    stream.emit(stops.flush());
    stream.complete(FinishReason.LENGTH, Usage.of(promptTokens, tokens), null);
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

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This markov text generator is closed.");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (QueuedTextStream s : streams) {
      s.close();
    }
    workers.shutdownNow();
    onClose.accept(this);
  }
}
