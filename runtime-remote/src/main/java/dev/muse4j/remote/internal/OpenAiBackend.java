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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * The openai backend: one {@link HttpClient} shared by every generator it opens, on a small pool of daemon threads
 * (callbacks never block, so a few threads serve any number of requests in flight) and one daemon scheduler thread
 * for retry waits and stalled-response checks. Opening it makes no network call.
 *
 * <p>Thread-safe. Closing it closes its generators (cancelling their streams), fails the calls still in flight with
 * {@link dev.muse4j.GenerationCancelledException}, and lets its threads end.
 */
public final class OpenAiBackend implements Backend {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final int POOL_SIZE = 4;
  private static final Set<Capability> CAPABILITIES = Set.of(Capability.TEXT, Capability.IMAGE, Capability.STYLE);

  private final HttpTransport http;
  private final ThreadPoolExecutor executor;
  private final ObjectMapper json = new ObjectMapper();
  private final DroppedFields dropped = new DroppedFields();
  private final RequestBodies bodies;
  private final Set<OpenAiTextGenerator> texts = ConcurrentHashMap.newKeySet();
  private final Set<OpenAiImages> images = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Opens the backend with the real clock, waits and jitter. */
  public static OpenAiBackend open(RemoteSettings settings) {
    ScheduledThreadPoolExecutor scheduler = scheduler();
    return open(settings, scheduler, Clock.systemUTC(), d -> r -> scheduler.schedule(r, d.toNanos(),
        TimeUnit.NANOSECONDS), () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Opens the backend with an injected clock, waits and jitter, so tests never wait for a retry. */
  static OpenAiBackend open(RemoteSettings settings, Clock clock, HttpTransport.Delays delays, DoubleSupplier jitter) {
    return open(settings, scheduler(), clock, delays, jitter);
  }

  private static OpenAiBackend open(RemoteSettings settings, ScheduledThreadPoolExecutor scheduler, Clock clock,
      HttpTransport.Delays delays, DoubleSupplier jitter) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(POOL_SIZE, POOL_SIZE, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon("muse4j-http-"));
    executor.allowCoreThreadTimeOut(true);
    // Redirects are the transport's job: the JDK would send the Authorization header to any host they name.
    HttpClient client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout).executor(executor)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    return new OpenAiBackend(new HttpTransport(settings, client, new RetryPolicy(settings.maxRetries,
        settings.maxRetryWait, clock, jitter), delays, scheduler), executor);
  }

  private static ScheduledThreadPoolExecutor scheduler() {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("muse4j-http-timer-"));
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setKeepAliveTime(30, TimeUnit.SECONDS);
    scheduler.allowCoreThreadTimeOut(true);
    return scheduler;
  }

  private static ThreadFactory daemon(String prefix) {
    return r -> {
      Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private OpenAiBackend(HttpTransport http, ThreadPoolExecutor executor) {
    this.http = http;
    this.executor = executor;
    this.bodies = new RequestBodies(json, http.settings().dialect, dropped);
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public TextGenerator text(String model, ModelOptions options) {
    checkOpen();
    OpenAiTextGenerator g = new OpenAiTextGenerator(model, options, http, bodies, json, texts::remove);
    texts.add(g);
    return g;
  }

  @Override
  public ImageGenerator image(String model, ModelOptions options) {
    return images(model);
  }

  @Override
  public StyleTransfer style(String model, ModelOptions options) {
    return images(model);
  }

  private OpenAiImages images(String model) {
    checkOpen();
    OpenAiImages g = new OpenAiImages(model, http, json, dropped, images::remove);
    images.add(g);
    return g;
  }

  @Override
  public MusicGenerator music(String model, ModelOptions options) {
    checkOpen();
    throw new UnsupportedCapabilityException(name(), Capability.MUSIC, "Backend 'openai' does not support music "
        + "generation: the OpenAI API has no music endpoint. Use a local music model on the onnx backend.");
  }

  /** The model ids the server lists at {@code /models}, in its order. */
  public List<String> models() {
    checkOpen();
    HttpResponse<byte[]> response = HttpTransport.await(http.send(() -> http.request("/models").GET().build(),
        "Listing models at " + http.settings().baseUrl), "the model list");
    JsonNode data;
    try {
      data = json.readTree(response.body()).path("data");
    } catch (IOException e) {
      throw RemoteApiException.builder("The model list is not JSON (" + ErrorBodies.reason(e) + ")"
          + ErrorBodies.firstBytes(response.body())).status(response.statusCode()).cause(e).build();
    }
    if (!data.isArray()) {
      throw RemoteApiException.builder("The model list has no 'data' array" + ErrorBodies.firstBytes(
          response.body())).status(response.statusCode()).build();
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode model : data) {
      if (model.path("id").isTextual()) {
        ids.add(model.path("id").asText());
      }
    }
    return List.copyOf(ids);
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
    texts.forEach(OpenAiTextGenerator::close);
    images.forEach(OpenAiImages::close);
    http.close();
    executor.shutdown();
  }

  /** The settings, with the API key masked. */
  @Override
  public String toString() {
    return "OpenAiBackend{" + http.settings() + "}";
  }
}
