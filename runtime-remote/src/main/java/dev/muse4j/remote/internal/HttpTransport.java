package dev.muse4j.remote.internal;

import dev.muse4j.GenerationCancelledException;
import dev.muse4j.GenerationTimeoutException;
import dev.muse4j.Muse4jException;
import dev.muse4j.RemoteApiException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests with the retry policy, asynchronously: a request waiting for a server, or for its next retry, holds
 * no thread. Headers carry the API key, and nothing here ever logs or reports a header. Thread-safe.
 */
final class HttpTransport {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  /** Runs work after a delay; tests replace it so they never wait. */
  interface Delays {
    Executor after(Duration delay);
  }

  private final RemoteSettings settings;
  private final HttpClient client;
  private final RetryPolicy policy;
  private final Delays delays;

  HttpTransport(RemoteSettings settings, HttpClient client, RetryPolicy policy, Delays delays) {
    this.settings = settings;
    this.client = client;
    this.policy = policy;
    this.delays = delays;
  }

  HttpClient client() {
    return client;
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

  /** Sends a request and buffers the response, retrying as the policy says. Fails with a {@link Muse4jException}. */
  CompletableFuture<HttpResponse<byte[]>> send(Supplier<HttpRequest> request, String what) {
    CompletableFuture<HttpResponse<byte[]>> result = new CompletableFuture<>();
    attempt(request, what, 0, result);
    return result;
  }

  private void attempt(Supplier<HttpRequest> request, String what, int retry,
      CompletableFuture<HttpResponse<byte[]>> result) {
    if (result.isDone()) {
      return;
    }
    CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request.get(),
        HttpResponse.BodyHandlers.ofByteArray());
    result.whenComplete((v, t) -> {
      if (result.isCancelled()) {
        exchange.cancel(true);
      }
    });
    exchange.whenComplete((response, failure) -> {
      if (failure != null) {
        Throwable cause = unwrap(failure);
        if (retry < policy.maxRetries() && retryableFailure(cause)) {
          Duration wait = policy.backoff(retry);
          LOG.debug("{}: {} on attempt {}; retrying in {} ms", what, cause.toString(), retry + 1, wait.toMillis());
          CompletableFuture.runAsync(() -> attempt(request, what, retry + 1, result), delays.after(wait));
        } else {
          result.completeExceptionally(failure(cause, what, retry + 1));
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
        CompletableFuture.runAsync(() -> attempt(request, what, retry + 1, result), delays.after(wait));
        return;
      }
      result.completeExceptionally(ErrorBodies.parse(status, response.body(),
          response.headers().firstValue("x-request-id").orElse(null), what + attemptsNote(retry + 1))
          .retryable(retryable).attempts(retry + 1).build());
    });
  }

  static String attemptsNote(int attempts) {
    return attempts > 1 ? " (after " + attempts + " attempts)" : "";
  }

  /** Connection errors and timeouts (all {@link IOException}s from the client) are worth retrying. */
  static boolean retryableFailure(Throwable cause) {
    return cause instanceof IOException;
  }

  Muse4jException failure(Throwable cause, String what, int attempts) {
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
    if (cause instanceof CancellationException) {
      return new GenerationCancelledException(what + " was cancelled.");
    }
    String reason = cause instanceof ConnectException ? "could not connect to " + settings.baseUrl
        + " (is the server running, and is baseUrl right?)" : "the connection to " + settings.baseUrl + " failed ("
        + cause + ")";
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

  /** Streams a request's body line by line to a consumer, retrying only while nothing was delivered. */
  void stream(Supplier<HttpRequest> request, String what, Function<Integer, StreamSink> sinkForAttempt) {
    streamAttempt(request, what, 0, sinkForAttempt);
  }

  private void streamAttempt(Supplier<HttpRequest> request, String what, int retry,
      Function<Integer, StreamSink> sinkForAttempt) {
    StreamSink sink = sinkForAttempt.apply(retry);
    if (sink.cancelled()) {
      return;
    }
    HttpResponse.BodyHandler<byte[]> handler = info -> {
      sink.status(info.statusCode(), info.headers());
      if (info.statusCode() / 100 == 2) {
        return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.fromLineSubscriber(sink.lines()),
            ignored -> new byte[0]);
      }
      return HttpResponse.BodySubscribers.ofByteArray();
    };
    CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request.get(), handler);
    sink.onCancel(() -> exchange.cancel(true));
    exchange.whenComplete((response, failure) -> {
      if (failure != null) {
        Throwable cause = unwrap(failure);
        if (!sink.delivered() && !sink.cancelled() && retry < policy.maxRetries() && retryableFailure(cause)) {
          CompletableFuture.runAsync(() -> streamAttempt(request, what, retry + 1, sinkForAttempt),
              delays.after(policy.backoff(retry)));
        } else {
          sink.fail(failure(cause, what, retry + 1));
        }
        return;
      }
      int status = response.statusCode();
      if (status / 100 == 2) {
        sink.ended();
        return;
      }
      boolean retryable = RetryPolicy.retryable(status, response.headers());
      if (retryable && retry < policy.maxRetries() && !sink.cancelled()) {
        CompletableFuture.runAsync(() -> streamAttempt(request, what, retry + 1, sinkForAttempt),
            delays.after(policy.delay(retry, response.headers())));
        return;
      }
      sink.fail(ErrorBodies.parse(status, response.body(), response.headers().firstValue("x-request-id")
          .orElse(null), what + attemptsNote(retry + 1)).retryable(retryable).attempts(retry + 1).build());
    });
  }

  /** Where one streaming attempt delivers its lines. */
  interface StreamSink {
    void status(int status, java.net.http.HttpHeaders headers);

    java.util.concurrent.Flow.Subscriber<String> lines();

    /** Whether any event reached the caller (then the stream is never retried). */
    boolean delivered();

    boolean cancelled();

    void onCancel(Runnable abort);

    /** The body ended normally. */
    void ended();

    void fail(Muse4jException error);
  }
}
