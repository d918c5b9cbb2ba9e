package dev.muse4j.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muse4j.FinishReason;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4jException;
import dev.muse4j.RemoteApiException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChoice;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Timings;
import dev.muse4j.Usage;
import dev.muse4j.spi.QueuedTextStream;
import dev.muse4j.spi.TextChoices;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Text over {@code /chat/completions} (or the legacy {@code /completions}), blocking or streamed as server-sent
 * events. Thread-safe; holds no thread while waiting for a server. Closing it cancels its open streams.
 */
public final class OpenAiTextGenerator implements TextGenerator {
  private final String model;
  private final HttpTransport http;
  private final RequestBodies bodies;
  private final ObjectMapper json;
  private final SamplingConfig defaults;
  private final Set<QueuedTextStream> streams = ConcurrentHashMap.newKeySet();
  private final Consumer<OpenAiTextGenerator> onClose;
  private volatile boolean closed;

  OpenAiTextGenerator(String model, ModelOptions options, HttpTransport http, RequestBodies bodies, ObjectMapper json,
      Consumer<OpenAiTextGenerator> onClose) {
    this.model = model;
    this.http = http;
    this.bodies = bodies;
    this.json = json;
    this.defaults = options.sampling();
    this.onClose = onClose;
  }

  @Override
  public String model() {
    return model;
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

  @Override
  public TextResult generate(TextRequest request) {
    return HttpTransport.await(generateAsync(request), "The text request to " + http.settings().baseUrl);
  }

  @Override
  public CompletableFuture<TextResult> generateAsync(TextRequest request) {
    checkOpen();
    SamplingConfig sampling = SamplingConfig.resolve(request.sampling(), defaults, SamplingConfig.empty());
    ObjectNode body = bodies.text(model, request, sampling, http.settings().legacyCompletions, false);
    long start = System.nanoTime();
    return http.send(() -> post(body, false), "The text request to " + http.settings().baseUrl)
        .thenApply(response -> parse(response, start));
  }

  private TextResult parse(HttpResponse<byte[]> response, long start) {
    JsonNode root;
    try {
      root = json.readTree(response.body());
    } catch (IOException e) {
      throw malformed(response.body(), e);
    }
    JsonNode choices = root.path("choices");
    if (!choices.isArray() || choices.size() == 0) {
      throw malformed(response.body(), null);
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
    return TextResult.ofChoices(indexed, usage, Timings.of(elapsed, elapsed, usage == null ? 0
        : usage.completionTokens()));
  }

  private static RemoteApiException malformed(byte[] body, @Nullable Exception cause) {
    String start = new String(body, 0, Math.min(200, body.length), java.nio.charset.StandardCharsets.UTF_8);
    return RemoteApiException.builder("The server's answer is not an OpenAI completion (expected JSON with "
        + "'choices'); it began: " + start).status(200).cause(cause).build();
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

  @Override
  public TextStream stream(TextRequest request) {
    checkOpen();
    TextChoices.requireOne(request);
    SamplingConfig sampling = SamplingConfig.resolve(request.sampling(), defaults, SamplingConfig.empty());
    ObjectNode body = bodies.text(model, request, sampling, http.settings().legacyCompletions, true);
    QueuedTextStream stream = new QueuedTextStream();
    streams.add(stream);
    stream.onCancel(() -> streams.remove(stream));
    http.stream(() -> post(body, true), "The streamed text request to " + http.settings().baseUrl,
        attempt -> new Sink(stream));
    return stream;
  }

  /** Feeds one streaming attempt's server-sent events into the caller's stream. */
  private final class Sink implements HttpTransport.StreamSink {
    private final QueuedTextStream stream;
    private final SseParser parser = new SseParser(this::event);
    private volatile boolean delivered;
    private volatile boolean finished;
    private FinishReason reason = FinishReason.STOP;
    private boolean sawReason;
    private @Nullable Usage usage;
    private volatile Flow.@Nullable Subscription subscription;
    private int status;

    Sink(QueuedTextStream stream) {
      this.stream = stream;
    }

    @Override
    public void status(int status, HttpHeaders headers) {
      this.status = status;
    }

    @Override
    public Flow.Subscriber<String> lines() {
      return new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription s) {
          subscription = s;
          stream.onCancel(s::cancel);
          s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
          if (!finished) {
            parser.line(line);
          }
        }

        @Override
        public void onError(Throwable error) {
          // Reported through the exchange's future, with the attempt count.
        }

        @Override
        public void onComplete() {
          parser.end();
        }
      };
    }

    private void event(String name, String data) {
      if (finished) {
        return;
      }
      if (data.trim().equals("[DONE]")) {
        done();
        return;
      }
      JsonNode node;
      try {
        node = json.readTree(data);
      } catch (IOException e) {
        fail(RemoteApiException.builder("The server sent an event that is not JSON: "
            + data.substring(0, Math.min(200, data.length()))).status(status).cause(e).build());
        return;
      }
      if (node.path("error").isObject() || name.equals("error")) {
        JsonNode error = node.path("error").isObject() ? node.path("error") : node;
        fail(RemoteApiException.builder("The server reported an error mid-stream, after "
            + stream.textSoFar().length() + " characters: " + error.path("message").asText(data))
            .status(status).type(text(error.path("type"))).code(text(error.path("code"))).retryable(false).build());
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
      if (content.isTextual() && !content.asText().isEmpty()) {
        delivered = true;
        stream.emit(content.asText());
      }
      if (choice.path("finish_reason").isTextual()) {
        reason = finishReason(choice.path("finish_reason"));
        sawReason = true;
      }
    }

    private @Nullable String text(JsonNode node) {
      return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private void done() {
      if (!finished) {
        finished = true;
        stream.complete(reason, usage, null);
        streams.remove(stream);
      }
    }

    @Override
    public boolean delivered() {
      return delivered;
    }

    @Override
    public boolean cancelled() {
      return stream.isCancelled();
    }

    @Override
    public void onCancel(Runnable abort) {
      stream.onCancel(abort);
    }

    @Override
    public void ended() {
      if (finished) {
        return;
      }
      if (sawReason) {
        done();
        return;
      }
      fail(RemoteApiException.builder("The stream from " + http.settings().baseUrl + " ended before it was "
          + "complete (no [DONE] and no finish reason), after " + stream.textSoFar().length() + " characters; the "
          + "text so far is kept in textSoFar().").status(status).retryable(true).build());
    }

    @Override
    public void fail(Muse4jException error) {
      if (!finished) {
        finished = true;
        Flow.Subscription s = subscription;
        if (s != null) {
          s.cancel();
        }
        stream.fail(error);
        streams.remove(stream);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This text generator (" + model + ") is closed.");
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
    onClose.accept(this);
  }
}
