package dev.muse4j.testkit.reference;

import dev.muse4j.ChatMessage;
import dev.muse4j.FinishReason;
import dev.muse4j.ModelOptions;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Usage;
import dev.muse4j.spi.QueuedTextStream;
import dev.muse4j.spi.TextChoices;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Words drawn from a seeded generator on a worker thread, pushed through a {@link QueuedTextStream}. */
final class ReferenceTextGenerator implements TextGenerator {
  private static final String[] WORDS = {
    ".", "moon", "river", "song", "light", "stone", "wind", "dream", "rain", "sea", "night", "gold", "autumn",
    "leaf", "fire", "snow", "bird", "quiet", "falls", "sings", "over", "under", "the", "a", "and", "of", "in",
  };

  private final ReferenceBackend backend;
  private final String model;
  private final ModelOptions options;
  private final Duration tokenDelay;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "reference-text");
    t.setDaemon(true);
    return t;
  });
  private final Set<QueuedTextStream> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ReferenceTextGenerator(ReferenceBackend backend, String model, ModelOptions options, Duration tokenDelay) {
    this.backend = backend;
    this.model = model;
    this.options = options;
    this.tokenDelay = tokenDelay;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public TextResult generate(TextRequest request) {
    checkOpen();
    ReferenceBackend.checkInterrupt();
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

  private TextStream start(TextRequest request, int choice) {
    SamplingConfig sampling = SamplingConfig.resolve(request.sampling(), options.sampling(), SamplingConfig.empty())
        .withDefaults(SamplingConfig.defaults());
    String prompt = request.prompt().orElseGet(() -> {
      StringBuilder sb = new StringBuilder();
      for (ChatMessage m : request.messages()) {
        sb.append(m.role().wireName()).append(": ").append(m.content()).append('\n');
      }
      return sb.toString();
    });
    int promptTokens = prompt.trim().split("\\s+").length;
    int maxTokens = sampling.maxTokens().orElse(256);
    boolean greedy = sampling.isGreedy();
    long seed = sampling.seed().orElseGet(System::nanoTime) + choice;
    SplittableRandom random = new SplittableRandom(seed ^ prompt.hashCode());
    QueuedTextStream stream = new QueuedTextStream();
    streams.add(stream);
    workers.execute(() -> {
      try {
        int produced = 0;
        FinishReason reason = FinishReason.LENGTH;
        while (produced < maxTokens) {
          if (stream.isCancelled()) {
            return;
          }
          if (!tokenDelay.isZero()) {
            TimeUnit.NANOSECONDS.sleep(tokenDelay.toNanos());
          }
          int word = greedy ? 1 + produced % (WORDS.length - 1) : random.nextInt(WORDS.length);
          produced++;
          if (word == 0 && produced > 3) {
            reason = FinishReason.STOP;
            break;
          }
          if (!stream.emit((produced == 1 ? "" : " ") + WORDS[Math.max(word, 1)])) {
            return;
          }
        }
        stream.complete(reason, Usage.of(promptTokens, produced), null);
      } catch (InterruptedException e) {
        stream.close();
      } catch (RuntimeException e) {
        stream.fail(e);
      } finally {
        streams.remove(stream);
      }
    });
    return stream;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This text generator is closed.");
    }
  }

  @Override
  public void close() {
    closed = true;
    for (QueuedTextStream s : streams) {
      s.close();
    }
    workers.shutdownNow();
    backend.untrack(this);
  }
}
