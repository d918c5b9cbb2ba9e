package dev.muse4j.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.Backend;
import dev.muse4j.Capability;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ModelOptions;
import dev.muse4j.MusicGenerator;
import dev.muse4j.RemoteApiException;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.UnsupportedCapabilityException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The openai backend: one {@link HttpClient} (with its own small daemon pool) shared by every generator it opens.
 * Thread-safe. Closing it closes its generators and stops the client's threads.
 */
public final class OpenAiBackend implements Backend {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final int POOL_SIZE = 4;

  private final HttpTransport http;
  private final ExecutorService executor;
  private final ObjectMapper json = new ObjectMapper();
  private final RequestBodies bodies;
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Opens the backend with the real clock and delays. */
  public static OpenAiBackend open(RemoteSettings settings) {
    return open(settings, Clock.systemUTC(), d -> CompletableFuture.delayedExecutor(d.toNanos(),
        TimeUnit.NANOSECONDS), () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Opens the backend with an injected clock, delays and jitter, so tests never wait. */
  static OpenAiBackend open(RemoteSettings settings, Clock clock, HttpTransport.Delays delays,
      java.util.function.DoubleSupplier jitter) {
    // A small bounded pool: callbacks never block, so a few threads serve any number of requests in flight.
    ThreadPoolExecutor executor = new ThreadPoolExecutor(POOL_SIZE, POOL_SIZE, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "muse4j-http-" + THREADS.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    HttpClient client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout).executor(executor)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    return new OpenAiBackend(new HttpTransport(settings, client, new RetryPolicy(settings.maxRetries,
        settings.maxRetryWait, clock, jitter), delays), executor);
  }

  private OpenAiBackend(HttpTransport http, ExecutorService executor) {
    this.http = http;
    this.executor = executor;
    this.bodies = new RequestBodies(json, http.settings().dialect);
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.TEXT, Capability.IMAGE, Capability.STYLE);
  }

  @Override
  public TextGenerator text(String model, ModelOptions options) {
    checkOpen();
    OpenAiTextGenerator g = new OpenAiTextGenerator(model, options, http, bodies, json, open::remove);
    open.add(g);
    return g;
  }

  @Override
  public ImageGenerator image(String model, ModelOptions options) {
    checkOpen();
    OpenAiImages images = new OpenAiImages(model, http, json, open::remove);
    open.add(images);
    return images;
  }

  @Override
  public StyleTransfer style(String model, ModelOptions options) {
    checkOpen();
    OpenAiImages images = new OpenAiImages(model, http, json, open::remove);
    open.add(images);
    return images;
  }

  @Override
  public MusicGenerator music(String model, ModelOptions options) {
    checkOpen();
    throw new UnsupportedCapabilityException(name(), Capability.MUSIC, "Backend 'openai' does not support music "
        + "generation: the OpenAI API has no music endpoint. Use a local music model on the onnx backend.");
  }

  /** The model ids the server lists at {@code /models}. */
  public List<String> models() {
    checkOpen();
    HttpResponse<byte[]> response = HttpTransport.await(http.send(() -> http.request("/models").GET().build(),
        "Listing models at " + http.settings().baseUrl), "the model list");
    List<String> ids = new ArrayList<>();
    try {
      for (JsonNode model : json.readTree(response.body()).path("data")) {
        ids.add(model.path("id").asText());
      }
    } catch (IOException e) {
      throw RemoteApiException.builder("The model list is not JSON: " + e.getMessage()).status(200).cause(e)
          .build();
    }
    return ids;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This openai backend is closed.");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "OpenAiBackend{" + http.settings() + "}";
  }
}
