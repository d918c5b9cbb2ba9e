package dev.muse4j.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muse4j.FinishReason;
import dev.muse4j.Muse4jException;
import dev.muse4j.RemoteApiException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChoice;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.Timings;
import dev.muse4j.Usage;
import dev.muse4j.spi.Cancellation;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.QueuedTextRun;
import dev.muse4j.spi.TextEngine;
import dev.muse4j.spi.TextOutcome;
import dev.muse4j.spi.TextRun;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Text over {@code /chat/completions} (or the legacy {@code /completions}), blocking or streamed as server-sent
 * events. A non-streamed request asks the server for all its choices at once ({@code n}). Thread-safe; holds no
 * thread while waiting for a server. The core cancels runs through their {@link Cancellation}, which aborts the
 * exchange.
 */
public final class OpenAiTextEngine implements TextEngine {
  private final String model;
  private final HttpTransport http;
  private final RequestBodies bodies;
  private final ObjectMapper json;

  OpenAiTextEngine(String model, HttpTransport http, RequestBodies bodies, ObjectMapper json) {
    this.model = model;
    this.http = http;
    this.bodies = bodies;
    this.json = json;
  }

  /** Unset knobs stay unset, so that the server's own defaults apply. */
  @Override
  public SamplingConfig engineDefaults() {
    return SamplingConfig.empty();
  }

  @Override
  public int choicesPerRun() {
    return TextRequest.MAX_COUNT;
  }

  @Override
  public TextRun start(Job<TextRequest> job, boolean streamed) {
    return streamed ? stream(job) : complete(job);
  }

  private String path() {
    return http.settings().legacyCompletions ? "/completions" : "/chat/completions";
  }

  private HttpRequest post(ObjectNode body, boolean stream) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new Muse4jException("Could not write the request body: " + e.getMessage(), e);
    }
    return http.request(path()).header("Content-Type", "application/json")
        .header("Accept", stream ? "text/event-stream" : "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
  }

  private TextRun complete(Job<TextRequest> job) {
    TextRequest request = job.request();
    ObjectNode body = bodies.text(model, request, request.sampling(), http.settings().legacyCompletions, false);
    long start = System.nanoTime();
    String what = "The text request to " + http.settings().baseUrl;
    // Cancelling the job must reach the exchange itself, not only the future derived from it.
    InFlight calls = InFlight.of(job.cancellation());
    CompletableFuture<TextResult> future = calls.result(calls.track(http.send(() -> post(body, false), what,
        http.deadline(job.timeout().orElse(null)))).thenApply(response -> parse(response, start)));
    return new CompletionRun(future, what, job.cancellation());
  }

  /** A non-streamed exchange: the whole answer arrives at once, as one piece (or as several choices). */
  private static final class CompletionRun implements TextRun {
    private final CompletableFuture<TextResult> future;
    private final String what;
    private final Cancellation cancellation;
    private boolean delivered;
    private TextOutcome outcome = TextOutcome.of(FinishReason.CANCELLED, null);

    CompletionRun(CompletableFuture<TextResult> future, String what, Cancellation cancellation) {
      this.future = future;
      this.what = what;
      this.cancellation = cancellation;
    }

    @Override
    public @Nullable String next() {
      if (delivered) {
        return null;
      }
      delivered = true;
      TextResult result;
      try {
        result = HttpTransport.await(future, what, cancellation);
      } catch (RemoteApiException e) {
        throw ErrorBodies.forText(e);
      }
      if (result.choices().size() > 1) {
        outcome = TextOutcome.ofChoices(result.choices(), result.usage().orElse(null), result.timings());
        return null;
      }
      outcome = TextOutcome.of(result.finishReason(), result.usage().orElse(null)).withTimings(result.timings());
      return result.text().isEmpty() ? null : result.text();
    }

    @Override
    public TextOutcome outcome() {
      return outcome;
    }

    @Override
    public void close() {
      future.cancel(true);
    }
  }

  private TextResult parse(HttpResponse<byte[]> response, long start) {
    JsonNode root;
    try {
      root = json.readTree(response.body());
    } catch (IOException e) {
      throw malformed(response, e);
    }
    if (root == null) {
      throw malformed(response, null);
    }
    JsonNode choices = root.path("choices");
    if (!choices.isArray() || choices.size() == 0) {
      throw malformed(response, null);
    }
    List<TextChoice> list = new ArrayList<>();
    for (int i = 0; i < choices.size(); i++) {
      JsonNode c = choices.get(i);
      JsonNode text = http.settings().legacyCompletions ? c.path("text") : c.path("message").path("content");
      list.add(TextChoice.of(c.path("index").asInt(i), text.isTextual() ? text.asText() : "",
          finishReason(c.path("finish_reason"))));
    }
    list.sort((a, b) -> Integer.compare(a.index(), b.index()));
    List<TextChoice> indexed = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      indexed.add(TextChoice.of(i, list.get(i).text(), list.get(i).finishReason()));
    }
    Usage usage = usage(root.path("usage"));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    int tokens = usage == null ? 0 : usage.completionTokens();
    return TextResult.ofChoices(indexed, usage, indexed.size() == 1 ? timings(root.path("timings"), elapsed, tokens)
        : Timings.ofTotal(elapsed, tokens));
  }

  /**
   * What is known of a non-streamed answer's timings. The whole answer arrives at once, so the time to the first
   * token is not seen here; llama-server reports its decode time ({@code timings.predicted_ms} for
   * {@code predicted_n} tokens), and the time before decoding is then the rest. Other servers report nothing, and
   * the time to first token stays unknown.
   */
  static Timings timings(JsonNode server, Duration elapsed, int tokens) {
    JsonNode ms = server.path("predicted_ms");
    int n = server.path("predicted_n").asInt(0);
    if (!ms.isNumber() || n < 1 || ms.asDouble() < 0) {
      return Timings.ofTotal(elapsed, tokens);
    }
    // llama-server times the decode steps after the first token (its predicted_per_second is (n - 1) / that), which
    // is what tokensPerSecond() divides by.
    Duration decode = Duration.ofNanos(Math.round(ms.asDouble() * 1e6));
    Duration first = elapsed.compareTo(decode) > 0 ? elapsed.minus(decode) : Duration.ZERO;
    return Timings.of(first, elapsed, tokens > 0 ? tokens : n);
  }

  private RemoteApiException malformed(HttpResponse<byte[]> response, @Nullable IOException cause) {
    String type = response.headers().firstValue("content-type").orElse("none");
    return RemoteApiException.builder(http.settings().redact("The server's answer is not an OpenAI completion: "
        + "the response was not JSON with 'choices' (HTTP " + response.statusCode() + ", Content-Type " + type
        + (cause != null ? "; " + ErrorBodies.reason(cause) : "") + ")"
        + ErrorBodies.firstBytes(response.body()) + (HttpTransport.requestId(response.headers()) != null
        ? " (request id " + HttpTransport.requestId(response.headers()) + ")" : "") + "."))
        .status(response.statusCode()).requestId(HttpTransport.requestId(response.headers())).cause(cause).build();
  }

  static @Nullable Usage usage(JsonNode usage) {
    if (!usage.isObject() || !usage.path("prompt_tokens").isNumber()) {
      return null;
    }
    return Usage.of(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt());
  }

  static FinishReason finishReason(JsonNode reason) {
    switch (reason.asText("")) {
      case "stop": return FinishReason.STOP;
      case "length": return FinishReason.LENGTH;
      case "content_filter": return FinishReason.CONTENT_FILTER;
      case "": return FinishReason.STOP;
      default: return FinishReason.OTHER;
    }
  }

  private TextRun stream(Job<TextRequest> job) {
    TextRequest request = job.request();
    ObjectNode body = bodies.text(model, request, request.sampling(), http.settings().legacyCompletions, true);
    QueuedTextRun run = new QueuedTextRun(job.cancellation());
    http.stream(() -> post(body, true), "The streamed text request to " + http.settings().baseUrl,
        http.deadline(job.timeout().orElse(null)), retry -> new Sink(run, job.cancellation(), retry + 1));
    return run;
  }

  /**
   * Feeds one streaming attempt's server-sent events into the caller's stream. Lines arrive in order on the HTTP
   * client's threads; the end or a failure may arrive from another thread, so the end is decided once, under the
   * stream's own lock, by {@link #finish}.
   */
  private final class Sink implements HttpTransport.StreamSink {
    private final QueuedTextRun stream;
    private final Cancellation cancellation;
    private final int attempt;
    private final SseParser parser = new SseParser(this::event);
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean delivered;
    private volatile Runnable abort = () -> { };
    private volatile @Nullable String requestId;
    private volatile FinishReason reason = FinishReason.STOP;
    private volatile boolean sawReason;
    private volatile boolean cutMidEvent;
    private volatile @Nullable Usage usage;

    Sink(QueuedTextRun stream, Cancellation cancellation, int attempt) {
      this.stream = stream;
      this.cancellation = cancellation;
      this.attempt = attempt;
    }

    @Override
    public void started(Runnable abort) {
      this.abort = abort;
      cancellation.onCancel(abort);
    }

    @Override
    public void status(int status, HttpHeaders headers) {
      requestId = HttpTransport.requestId(headers);
    }

    @Override
    public Flow.Subscriber<String> lines() {
      return new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription s) {
          s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
          if (!finished.get()) {
            parser.line(line);
          }
        }

        @Override
        public void onError(Throwable error) {
          // Reported through the exchange's future, with the attempt count.
        }

        @Override
        public void onComplete() {
          cutMidEvent = parser.end();
        }
      };
    }

    private void event(String name, String data) {
      if (finished.get()) {
        return;
      }
      delivered = true;
      if (data.isBlank()) {
        return;
      }
      if (data.trim().equals("[DONE]")) {
        finish(() -> stream.complete(reason, usage));
        return;
      }
      JsonNode node;
      try {
        node = json.readTree(data);
      } catch (IOException e) {
        fail(RemoteApiException.builder(http.settings().redact("The server sent an event that is not JSON ("
            + ErrorBodies.reason(e) + "): " + data.substring(0, Math.min(200, data.length())))).cause(e)
            .requestId(requestId).attempts(attempt).build());
        return;
      }
      if (node.path("error").isObject() || node.path("error").isTextual() || name.equals("error")) {
        JsonNode error = node.path("error").isObject() ? node.path("error") : node;
        String message = node.path("error").isTextual() ? node.path("error").asText()
            : error.path("message").asText(data);
        fail(RemoteApiException.builder(http.settings().redact("The server reported an error mid-stream, after "
            + stream.textSoFar().length() + " characters (kept in textSoFar()): " + message
            + (requestId != null ? " (request id " + requestId + ")" : ""))).type(ErrorBodies.text(error.path("type")))
            .code(ErrorBodies.text(error.path("code"))).param(ErrorBodies.text(error.path("param")))
            .requestId(requestId).retryable(false).attempts(attempt).build());
        return;
      }
      Usage u = usage(node.path("usage"));
      if (u != null) {
        usage = u;
      }
      JsonNode choice = node.path("choices").path(0);
      if (choice.isMissingNode()) {
        return;
      }
      JsonNode content = http.settings().legacyCompletions ? choice.path("text") : choice.path("delta")
          .path("content");
      if (content.isTextual()) {
        stream.emit(content.asText());
      }
      if (choice.path("finish_reason").isTextual()) {
        reason = finishReason(choice.path("finish_reason"));
        sawReason = true;
      }
    }

    @Override
    public boolean delivered() {
      return delivered;
    }

    @Override
    public boolean finished() {
      return finished.get();
    }

    @Override
    public boolean cancelled() {
      return cancellation.isCancelled();
    }

    @Override
    public void ended() {
      if (sawReason) {
        finish(() -> stream.complete(reason, usage));
        return;
      }
      fail(RemoteApiException.builder("The stream from " + http.settings().baseUrl + " ended before it was "
          + "complete (no [DONE] and no finish reason" + (cutMidEvent ? ", and the last event was cut off" : "")
          + "), after " + stream.textSoFar().length() + " characters; the text so far is kept in textSoFar()"
          + (requestId != null ? " (request id " + requestId + ")" : "") + ".").requestId(requestId)
          .retryable(true).attempts(attempt).build());
    }

    @Override
    public void fail(RuntimeException error) {
      RuntimeException mapped = error instanceof RemoteApiException ? ErrorBodies.forText((RemoteApiException) error)
          : error;
      if (finish(() -> stream.fail(mapped))) {
        abort.run();
      }
    }

    /** Ends the stream once; later ends (a failure racing [DONE], an abort's echo) are ignored. */
    private boolean finish(Runnable end) {
      if (!finished.compareAndSet(false, true)) {
        return false;
      }
      end.run();
      return true;
    }
  }

  /** Nothing to free: the backend owns the HTTP client. */
  @Override
  public void close() {}
}
