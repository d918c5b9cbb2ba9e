package dev.muse4j.remote.internal;

import dev.muse4j.GenerationCancelledException;
import dev.muse4j.GenerationTimeoutException;
import dev.muse4j.Muse4jException;
import dev.muse4j.RemoteApiException;
import dev.muse4j.spi.Cancellation;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests with the retry policy, asynchronously: a request waiting for a server, or for its next retry, holds
 * no thread. Headers carry the API key, and nothing here ever logs or reports a header.
 *
 * <p>Four guards sit around every exchange. A response that starts and then stalls for longer than
 * {@code requestTimeout} is aborted (the JDK's own timeout ends with the response headers). A call that takes longer
 * in all than its {@link Deadline} ({@code totalTimeout}, or the request's own timeout), retries and waits included,
 * is aborted too, so that a server sending only keep-alive bytes cannot hold it for ever. Redirects are followed
 * here rather than by the JDK client, because the JDK would forward the {@code Authorization} header to whatever
 * host a redirect names: a request that carries the key follows redirects only within its origin. Closing the
 * transport fails every call still in flight or waiting for a retry.
 *
 * <p>Thread-safe.
 */
final class HttpTransport {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
  private static final int MAX_REDIRECTS = 5;

  /** Runs work after a delay; tests replace it so they never wait. */
  interface Delays {
    Executor after(Duration delay);
  }

  private final RemoteSettings settings;
  private final HttpClient client;
  private final RetryPolicy policy;
  private final Delays delays;
  private final ScheduledExecutorService scheduler;
  private final Set<Runnable> closers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param client must not follow redirects itself ({@link HttpClient.Redirect#NEVER})
   * @param scheduler watches for stalled responses; the transport shuts it down on {@link #close()}
   */
  HttpTransport(RemoteSettings settings, HttpClient client, RetryPolicy policy, Delays delays,
      ScheduledExecutorService scheduler) {
    if (client.followRedirects() != HttpClient.Redirect.NEVER) {
      throw new IllegalArgumentException("The client must leave redirects to the transport.");
    }
    this.settings = settings;
    this.client = client;
    this.policy = policy;
    this.delays = delays;
    this.scheduler = scheduler;
  }

  RemoteSettings settings() {
    return settings;
  }

  /** A request builder for an endpoint under baseUrl, with the authentication and configured headers. */
  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(settings.endpoint(path)).timeout(settings.requestTimeout)
        .header("Accept", "application/json");
    settings.apiKey().ifPresent(key -> b.header("Authorization", "Bearer " + key));
    if (settings.organization != null) {
      b.header("OpenAI-Organization", settings.organization);
    }
    if (settings.project != null) {
      b.header("OpenAI-Project", settings.project);
    }
    settings.extraHeaders.forEach(b::header);
    return b;
  }

  /**
   * Sends an API request and buffers the response, retrying as the policy says, within {@code totalTimeout}. Fails
   * with a {@link Muse4jException}; cancelling the returned future aborts the exchange.
   */
  CompletableFuture<HttpResponse<byte[]>> send(Supplier<HttpRequest> request, String what) {
    return send(request, what, deadline(null));
  }

  /**
   * Sends an API request and buffers the response, retrying as the policy says, within {@code deadline}. Fails with
   * a {@link Muse4jException}; cancelling the returned future aborts the exchange.
   */
  CompletableFuture<HttpResponse<byte[]>> send(Supplier<HttpRequest> request, String what, Deadline deadline) {
    return send(request, what, true, deadline);
  }

  /** The deadline for a call: {@code totalTimeout}, or the request's own timeout where that is shorter. */
  Deadline deadline(@Nullable Duration requestTimeout) {
    return requestTimeout != null && requestTimeout.compareTo(settings.totalTimeout) < 0
        ? new Deadline(requestTimeout, "its timeout of " + requestTimeout.toMillis() + " ms", "")
        : new Deadline(settings.totalTimeout, "the totalTimeout of " + settings.totalTimeout.toMillis() + " ms",
            " Raise totalTimeout for long generations.");
  }

  /** How long a call may take in all, retries and waits included, and how to name that limit in a message. */
  static final class Deadline {
    final Duration duration;
    private final String name;
    private final String hint;

    Deadline(Duration duration, String name, String hint) {
      this.duration = duration;
      this.name = name;
      this.hint = hint;
    }

    GenerationTimeoutException error(String what) {
      return new GenerationTimeoutException(duration, what + " timed out: it took longer than " + name + ", "
          + "retries and waits included, and was aborted." + hint, null);
    }
  }

  /** Runs {@code onTimeUp} once the deadline passes; null if the transport is closing. */
  private @Nullable ScheduledFuture<?> watch(Deadline deadline, Runnable onTimeUp) {
    try {
      return scheduler.schedule(onTimeUp, deadline.duration.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      return null; // closing fails the call anyway
    }
  }

  /**
   * Downloads a file a server pointed to (an image URL). The request carries none of the configured headers, so
   * redirects to any host are followed, though never from https to plain http. The deadline is the request's that
   * led to it.
   */
  CompletableFuture<HttpResponse<byte[]>> download(URI uri, String what, Deadline deadline) {
    return send(() -> HttpRequest.newBuilder(uri).timeout(settings.requestTimeout).GET().build(), what, false,
        deadline);
  }

  private CompletableFuture<HttpResponse<byte[]>> send(Supplier<HttpRequest> request, String what,
      boolean credentials, Deadline deadline) {
    CompletableFuture<HttpResponse<byte[]>> result = new CompletableFuture<>();
    AtomicReference<@Nullable Exchange> current = new AtomicReference<>();
    Runnable closer = () -> {
      if (result.completeExceptionally(closedError(what))) {
        abort(current);
      }
    };
    closers.add(closer);
    ScheduledFuture<?> timer = watch(deadline, () -> {
      if (result.completeExceptionally(deadline.error(what))) {
        abort(current);
      }
    });
    result.whenComplete((v, t) -> {
      closers.remove(closer);
      if (timer != null) {
        timer.cancel(false);
      }
      if (result.isCancelled()) {
        abort(current);
      }
    });
    if (closed) {
      closer.run();
    } else {
      attempt(request, what, credentials, 0, result, current);
    }
    return result;
  }

  private void attempt(Supplier<HttpRequest> request, String what, boolean credentials, int retry,
      CompletableFuture<HttpResponse<byte[]>> result, AtomicReference<@Nullable Exchange> current) {
    if (result.isDone()) {
      return;
    }
    try {
      Exchange x = new Exchange(what, credentials);
      current.set(x);
      CompletableFuture<HttpResponse<byte[]>> exchange = x.send(request.get(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (result.isDone()) {
        x.abort();
      }
      exchange.whenComplete((response, failure) -> {
        try {
          if (failure != null) {
            Throwable cause = unwrap(failure);
            if (retry < policy.maxRetries() && x.retryable(cause)) {
              Duration wait = policy.backoff(retry);
              LOG.debug("{}: {} on attempt {}; retrying in {} ms", what, describe(cause, x), retry + 1,
                  wait.toMillis());
              later(wait, () -> attempt(request, what, credentials, retry + 1, result, current),
                  result::completeExceptionally, what);
            } else {
              result.completeExceptionally(failure(cause, x, what, retry + 1));
            }
            return;
          }
          int status = response.statusCode();
          if (status / 100 == 2) {
            result.complete(response);
            return;
          }
          boolean retryable = RetryPolicy.retryable(status, response.headers());
          if (retryable && retry < policy.maxRetries()) {
            Duration wait = policy.delay(retry, response.headers());
            LOG.debug("{}: HTTP {} on attempt {}; retrying in {} ms", what, status, retry + 1, wait.toMillis());
            later(wait, () -> attempt(request, what, credentials, retry + 1, result, current),
                result::completeExceptionally, what);
            return;
          }
          result.completeExceptionally(ErrorBodies.parse(status, response.body(), requestId(response.headers()),
              what + attemptsNote(retry + 1), settings).retryable(retryable).attempts(retry + 1).build());
        } catch (RuntimeException unexpected) {
          result.completeExceptionally(unexpected);
        }
      });
    } catch (RuntimeException unexpected) {
      result.completeExceptionally(unexpected);
    }
  }

  /** Runs a retry after a wait; if the wait cannot be scheduled (the backend closed), reports that instead. */
  private void later(Duration wait, Runnable retry, Consumer<RuntimeException> onRefused,
      String what) {
    try {
      CompletableFuture.runAsync(retry, delays.after(wait));
    } catch (RejectedExecutionException e) {
      onRefused.accept(closedError(what));
    }
  }

  /**
   * Streams a request's body line by line to a sink, retrying only while no event has reached it. Each attempt gets
   * its own sink from {@code sinkForAttempt}.
   */
  void stream(Supplier<HttpRequest> request, String what, Deadline deadline, IntFunction<StreamSink> sinkForAttempt) {
    if (closed) {
      sinkForAttempt.apply(0).fail(closedError(what));
      return;
    }
    StreamCall call = new StreamCall(request, what, sinkForAttempt);
    closers.add(call.closer);
    call.timer = watch(deadline, () -> {
      RuntimeException error = deadline.error(what);
      call.timedOut = error;
      StreamSink s = call.sink;
      if (s != null) {
        call.end(() -> s.fail(error));
      }
      abort(call.current);
    });
    streamAttempt(call, 0);
  }

  /** One streamed call across its attempts: what closing the transport must fail and abort. */
  private final class StreamCall {
    final Supplier<HttpRequest> request;
    final String what;
    final IntFunction<StreamSink> sinkForAttempt;
    final AtomicReference<@Nullable Exchange> current = new AtomicReference<>();
    volatile @Nullable StreamSink sink;
    volatile @Nullable ScheduledFuture<?> timer;
    /** Set when the deadline passes: no further attempt starts, and the stream fails with it. */
    volatile @Nullable RuntimeException timedOut;
    final Runnable closer;

    StreamCall(Supplier<HttpRequest> request, String what, IntFunction<StreamSink> sinkForAttempt) {
      this.request = request;
      this.what = what;
      this.sinkForAttempt = sinkForAttempt;
      this.closer = () -> {
        StreamSink s = sink;
        if (s != null) {
          s.fail(closedError(what));
        }
        abort(current);
      };
    }

    /** The sink's end is final: no retry follows. */
    void end(Runnable ending) {
      closers.remove(closer);
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
      ending.run();
    }
  }

  private void streamAttempt(StreamCall call, int retry) {
    StreamSink sink = call.sinkForAttempt.apply(retry);
    RuntimeException timedOut = call.timedOut;
    if (timedOut != null) {
      call.end(() -> sink.fail(timedOut));
      return;
    }
    call.sink = sink;
    if (sink.cancelled()) {
      closers.remove(call.closer);
      return;
    }
    String what = call.what;
    try {
      Exchange x = new Exchange(what, true);
      call.current.set(x);
      sink.started(x::abort);
      HttpResponse.BodyHandler<byte[]> handler = info -> {
        sink.status(info.statusCode(), info.headers());
        if (info.statusCode() / 100 == 2 && eventStream(info.headers())) {
          return HttpResponse.BodySubscribers.mapping(
              HttpResponse.BodySubscribers.fromLineSubscriber(sink.lines()), ignored -> new byte[0]);
        }
        return HttpResponse.BodySubscribers.ofByteArray();
      };
      x.send(call.request.get(), handler).whenComplete((response, failure) -> {
        try {
          if (failure != null) {
            Throwable cause = unwrap(failure);
            if (!sink.delivered() && !sink.cancelled() && retry < policy.maxRetries() && x.retryable(cause)) {
              Duration wait = policy.backoff(retry);
              LOG.debug("{}: {} on attempt {}; retrying in {} ms", what, describe(cause, x), retry + 1,
                  wait.toMillis());
              later(wait, () -> streamAttempt(call, retry + 1), e -> call.end(() -> sink.fail(e)), what);
            } else {
              call.end(() -> sink.fail(failure(cause, x, what, retry + 1)));
            }
            return;
          }
          int status = response.statusCode();
          if (status / 100 == 2 && !eventStream(response.headers())) {
            RemoteApiException error = notAnEventStream(response, what + attemptsNote(retry + 1), retry + 1);
            call.end(() -> sink.fail(error));
            return;
          }
          if (status / 100 == 2) {
            if (!sink.delivered() && !sink.cancelled() && !sink.finished() && retry < policy.maxRetries()) {
              // Ended cleanly before its first event: as good as a dropped connection, so retried the same way.
              Duration wait = policy.backoff(retry);
              LOG.debug("{}: the stream ended before its first event on attempt {}; retrying in {} ms", what,
                  retry + 1, wait.toMillis());
              later(wait, () -> streamAttempt(call, retry + 1), e -> call.end(() -> sink.fail(e)), what);
            } else {
              call.end(sink::ended);
            }
            return;
          }
          boolean retryable = RetryPolicy.retryable(status, response.headers());
          if (retryable && retry < policy.maxRetries() && !sink.cancelled()) {
            Duration wait = policy.delay(retry, response.headers());
            LOG.debug("{}: HTTP {} on attempt {}; retrying in {} ms", what, status, retry + 1, wait.toMillis());
            later(wait, () -> streamAttempt(call, retry + 1), e -> call.end(() -> sink.fail(e)), what);
            return;
          }
          RemoteApiException error = ErrorBodies.parse(status, response.body(), requestId(response.headers()),
              what + attemptsNote(retry + 1), settings).retryable(retryable).attempts(retry + 1).build();
          call.end(() -> sink.fail(error));
        } catch (RuntimeException unexpected) {
          call.end(() -> sink.fail(unexpected));
        }
      });
    } catch (RuntimeException unexpected) {
      call.end(() -> sink.fail(unexpected));
    }
  }

  /** Fails every call in flight or waiting for a retry, and stops the scheduler. Idempotent. */
  void close() {
    closed = true;
    for (Runnable closer : closers) {
      closers.remove(closer);
      closer.run();
    }
    scheduler.shutdownNow();
  }

  private static void abort(AtomicReference<@Nullable Exchange> current) {
    Exchange x = current.get();
    if (x != null) {
      x.abort();
    }
  }

  /** Whether a successful response to a stream request is a stream; a missing Content-Type is given the benefit. */
  static boolean eventStream(HttpHeaders headers) {
    return headers.firstValue("content-type").map(t -> t.trim().toLowerCase(Locale.ROOT)
        .startsWith("text/event-stream")).orElse(true);
  }

  /** A 2xx answer to a stream request that is something else (a proxy's HTML page, a JSON document). */
  private RemoteApiException notAnEventStream(HttpResponse<byte[]> response, String what, int attempts) {
    String type = response.headers().firstValue("content-type").orElse("none");
    return RemoteApiException.builder(settings.redact(what + " failed: the response was not an event stream "
        + "(HTTP " + response.statusCode() + ", Content-Type " + type + ErrorBodies.firstBytes(response.body())
        + "). Something other than an OpenAI-compatible server answered: check baseUrl and any proxy in front of "
        + "the server.")).status(response.statusCode()).requestId(requestId(response.headers())).retryable(false)
        .attempts(attempts).build();
  }

  static @Nullable String requestId(HttpHeaders headers) {
    return headers.firstValue("x-request-id").orElse(null);
  }

  static String attemptsNote(int attempts) {
    return attempts > 1 ? " (after " + attempts + " attempts)" : "";
  }

  private String describe(Throwable cause, Exchange x) {
    return x.stalled ? "no data for " + settings.requestTimeout.toMillis() + " ms" : cause.toString();
  }

  private GenerationCancelledException closedError(String what) {
    return new GenerationCancelledException(what + " was cancelled: the openai backend was closed.");
  }

  private RuntimeException failure(Throwable cause, Exchange x, String what, int attempts) {
    if (x.stalled) {
      return new GenerationTimeoutException(settings.requestTimeout, what + attemptsNote(attempts)
          + " timed out: " + settings.baseUrl + " began its response and then sent nothing for the requestTimeout of "
          + settings.requestTimeout.toMillis() + " ms.", cause);
    }
    if (cause instanceof Muse4jException) {
      return (Muse4jException) cause;
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new GenerationTimeoutException(settings.connectTimeout, what + attemptsNote(attempts)
          + " timed out: no connection to " + settings.baseUrl + " within the connectTimeout of "
          + settings.connectTimeout.toMillis() + " ms.", cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new GenerationTimeoutException(settings.requestTimeout, what + attemptsNote(attempts)
          + " timed out: " + settings.baseUrl + " sent no response within the requestTimeout of "
          + settings.requestTimeout.toMillis() + " ms. Raise requestTimeout for slow models.", cause);
    }
    if (cause instanceof CancellationException || x.aborted) {
      return closed ? closedError(what) : new GenerationCancelledException(what + " was cancelled.");
    }
    if (!(cause instanceof IOException)) {
      return cause instanceof RuntimeException ? (RuntimeException) cause
          : new Muse4jException(what + " failed: " + cause, cause);
    }
    String reason = cause instanceof ConnectException ? "could not connect to " + settings.baseUrl
        + " (is the server running, and is baseUrl right?)" : "the connection to " + settings.baseUrl + " failed ("
        + settings.redact(String.valueOf(cause)) + ")";
    return RemoteApiException.builder(what + attemptsNote(attempts) + " failed: " + reason + ".")
        .retryable(true).attempts(attempts).cause(cause).build();
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** Waits for a future on the caller's thread; cancelling the job or interrupting the thread cancels the future. */
  static <T> T await(CompletableFuture<T> future, String what, Cancellation cancellation) {
    cancellation.onCancel(() -> future.cancel(true));
    return await(future, what);
  }

  /** Waits for a future on the caller's thread; an interrupt cancels it. */
  static <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new GenerationCancelledException("Interrupted while waiting for " + what + "; the request was "
          + "cancelled.");
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new Muse4jException(what + " failed: " + cause, cause);
    } catch (CancellationException e) {
      throw new GenerationCancelledException(what + " was cancelled.");
    }
  }

  /**
   * One attempt at a request: follows redirects, notices a stalled response, and can be aborted from any thread.
   */
  private final class Exchange {
    private final String what;
    private final boolean credentials;
    private final IdleTimeout idle;
    private volatile @Nullable CompletableFuture<?> inFlight;
    private volatile boolean aborted;
    private volatile boolean stalled;

    Exchange(String what, boolean credentials) {
      this.what = what;
      this.credentials = credentials;
      this.idle = new IdleTimeout(scheduler, settings.requestTimeout, this::stall);
    }

    <T> CompletableFuture<HttpResponse<T>> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      CompletableFuture<HttpResponse<T>> f = hop(request, handler, 0);
      f.whenComplete((r, t) -> idle.stop());
      return f;
    }

    /** Connection errors and timeouts are worth another attempt; an abort by the caller is not. */
    boolean retryable(Throwable cause) {
      return stalled || (!aborted && cause instanceof IOException);
    }

    void abort() {
      aborted = true;
      CompletableFuture<?> f = inFlight;
      if (f != null) {
        f.cancel(true);
      }
    }

    private void stall() {
      stalled = true;
      abort();
    }

    private <T> CompletableFuture<HttpResponse<T>> hop(HttpRequest request, HttpResponse.BodyHandler<T> handler,
        int hops) {
      HttpResponse.BodyHandler<T> watched = info -> {
        if (redirect(info.statusCode(), info.headers())) {
          return HttpResponse.BodySubscribers.replacing(null);
        }
        idle.start();
        return new Watched<>(handler.apply(info), idle);
      };
      CompletableFuture<HttpResponse<T>> f = client.sendAsync(request, watched);
      inFlight = f;
      if (aborted) {
        f.cancel(true);
      }
      return f.thenCompose(response -> redirect(response.statusCode(), response.headers())
          ? follow(request, response, handler, hops) : CompletableFuture.completedFuture(response));
    }

    private <T> CompletionStage<HttpResponse<T>> follow(HttpRequest request, HttpResponse<T> response,
        HttpResponse.BodyHandler<T> handler, int hops) {
      int status = response.statusCode();
      URI from = request.uri();
      String location = response.headers().firstValue("location").orElse("").trim();
      URI to;
      try {
        to = from.resolve(location);
      } catch (IllegalArgumentException e) {
        return CompletableFuture.failedFuture(refusal(status, location, "it is not a valid URL", response));
      }
      String why = null;
      if (hops >= MAX_REDIRECTS) {
        why = "it is redirect number " + (hops + 1) + ", and at most " + MAX_REDIRECTS + " are followed";
      } else if (!"http".equalsIgnoreCase(to.getScheme()) && !"https".equalsIgnoreCase(to.getScheme())) {
        why = "it is not an http or https URL";
      } else if (credentials && !sameOrigin(from, to)) {
        why = "it leads to another origin, and the request carries the API key";
      } else if ("https".equalsIgnoreCase(from.getScheme()) && "http".equalsIgnoreCase(to.getScheme())) {
        why = "it leads from https to plain http";
      } else if (!request.method().equals("GET") && status != 307 && status != 308) {
        why = "HTTP " + status + " would turn the " + request.method() + " into a GET";
      }
      if (why != null) {
        return CompletableFuture.failedFuture(refusal(status, to.toString(), why, response));
      }
      LOG.debug("{}: HTTP {} redirect followed to {}", what, status, to);
      return hop(HttpRequest.newBuilder(request, (name, value) -> true).uri(to).build(), handler, hops + 1);
    }

    private RemoteApiException refusal(int status, String location, String why, HttpResponse<?> response) {
      return RemoteApiException.builder(what + " was redirected (HTTP " + status + ") to " + location
          + ", which was not followed: " + why + ". Set baseUrl to the address the server redirects to.")
          .status(status).requestId(requestId(response.headers())).retryable(false).build();
    }
  }

  static boolean redirect(int status, HttpHeaders headers) {
    return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
        && headers.firstValue("location").isPresent();
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
        && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost() == null ? null
            : b.getHost().toLowerCase(Locale.ROOT)) && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Passes a body through, telling the idle timeout whenever bytes arrive. */
  private static final class Watched<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> body;
    private final IdleTimeout idle;

    Watched(HttpResponse.BodySubscriber<T> body, IdleTimeout idle) {
      this.body = body;
      this.idle = idle;
    }

    @Override
    public CompletionStage<T> getBody() {
      return body.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      body.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      idle.touch();
      body.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      body.onError(throwable);
    }

    @Override
    public void onComplete() {
      body.onComplete();
    }
  }

  /** Where one streaming attempt delivers its lines. */
  interface StreamSink {
    /** Called before the request is sent, with the way to abort this attempt's exchange. */
    void started(Runnable abort);

    void status(int status, HttpHeaders headers);

    Flow.Subscriber<String> lines();

    /** Whether any event was dispatched (then the stream is never retried). */
    boolean delivered();

    /** Whether the stream already ended (a failure, or the end of the caller's wait). */
    boolean finished();

    boolean cancelled();

    /** The body ended normally. */
    void ended();

    void fail(RuntimeException error);
  }
}
