package dev.muse4j.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muse4j.ClosedException;
import dev.muse4j.RemoteApiException;
import dev.muse4j.spi.EngineSet;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * The openai backend's connection: one {@link HttpClient} shared by every engine it opens, on a small pool of daemon threads
 * (callbacks never block, so a few threads serve any number of requests in flight) and one daemon scheduler thread
 * for retry waits and stalled-response checks. Opening it makes no network call.
 *
 * <p>Thread-safe. It is the engine set's extension, so {@code OpenAiModels.list(backend)} reaches it. The core closes
 * it after the engines: closing fails the calls still in flight with {@link dev.muse4j.GenerationCancelledException}
 * and lets its threads end.
 */
public final class OpenAiConnection {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final int POOL_SIZE = 4;

  private final HttpTransport http;
  private final ThreadPoolExecutor executor;
  private final ObjectMapper json = new ObjectMapper();
  private final DroppedFields dropped = new DroppedFields();
  private final RequestBodies bodies;
  private volatile boolean closed;

  /** Opens the backend with the real clock, waits and jitter. */
  public static OpenAiConnection open(RemoteSettings settings) {
    ScheduledThreadPoolExecutor scheduler = scheduler();
    return open(settings, scheduler, Clock.systemUTC(), d -> r -> scheduler.schedule(r, d.toNanos(),
        TimeUnit.NANOSECONDS), () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Opens the backend with an injected clock, waits and jitter, so tests never wait for a retry. */
  static OpenAiConnection open(RemoteSettings settings, Clock clock, HttpTransport.Delays delays, DoubleSupplier jitter) {
    return open(settings, scheduler(), clock, delays, jitter);
  }

  private static OpenAiConnection open(RemoteSettings settings, ScheduledThreadPoolExecutor scheduler, Clock clock,
      HttpTransport.Delays delays, DoubleSupplier jitter) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(POOL_SIZE, POOL_SIZE, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon("muse4j-http-"));
    executor.allowCoreThreadTimeOut(true);
    // Redirects are the transport's job: the JDK would send the Authorization header to any host they name.
    HttpClient client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout).executor(executor)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    return new OpenAiConnection(new HttpTransport(settings, client, new RetryPolicy(settings.maxRetries,
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

  private OpenAiConnection(HttpTransport http, ThreadPoolExecutor executor) {
    this.http = http;
    this.executor = executor;
    this.bodies = new RequestBodies(json, http.settings().dialect, dropped);
  }

  /**
   * The engines on this connection: text, pictures and style (the OpenAI API has no music).
   *
   * @return the engine set; closing it closes this connection
   */
  public EngineSet engines() {
    return EngineSet.builder()
        .description(http.settings().toString())
        .text((model, options) -> {
          ModelSettings.check(options, true);
          return new OpenAiTextEngine(model, http, bodies, json);
        })
        .image((model, options) -> {
          ModelSettings.check(options, false);
          return new OpenAiImageEngine(model, http, json, dropped);
        })
        .style((model, options) -> {
          ModelSettings.check(options, false);
          return new OpenAiImageEngine(model, http, json, dropped);
        })
        .extension(this)
        .onClose(this::close)
        .build();
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
      throw new ClosedException("openai backend at " + http.settings().baseUrl);
    }
  }

  /** Fails the calls still in flight and lets the threads end. Idempotent. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    http.close();
    executor.shutdown();
  }

  /** The settings, with the API key masked. */
  @Override
  public String toString() {
    return "OpenAiConnection{" + http.settings() + "}";
  }
}
