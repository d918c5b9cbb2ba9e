package dev.muse4j.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muse4j.Image;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Muse4jException;
import dev.muse4j.RemoteApiException;
import dev.muse4j.StyleRequest;
import dev.muse4j.spi.ImageEngine;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.Limits;
import dev.muse4j.spi.StyleEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Pictures over {@code /images/generations}, image-to-image and style transfer over {@code /images/edits}
 * (multipart). Answers come as base64 or as URLs, which are downloaded without the API key.
 *
 * <p>What is sent follows the {@link Dialect}: OpenAI has no seed, negative prompt, steps, guidance or strength, and
 * rejects fields it does not know, so those are left out (with one WARN each); vLLM and generic servers get them
 * under the diffusers names. OpenAI's {@code gpt-image} models reject {@code response_format} and always answer in
 * base64, so it is sent only to other models. A strength of 0 keeps the picture unchanged by definition, so it is
 * answered without asking the server.
 *
 * <p>Thread-safe. A job waits for the server on the thread the core runs it on; cancelling the job cancels the
 * exchange.
 */
public final class OpenAiImageEngine implements ImageEngine, StyleEngine {
  private final String model;
  private final HttpTransport http;
  private final ObjectMapper json;
  private final DroppedFields dropped;

  OpenAiImageEngine(String model, HttpTransport http, ObjectMapper json, DroppedFields dropped) {
    this.model = model;
    this.http = http;
    this.json = json;
    this.dropped = dropped;
  }

  /** The server decides what it takes; its errors say so. */
  @Override
  public Limits limits() {
    return Limits.none();
  }

  @Override
  public ImageResult generate(Job<ImageRequest> job) {
    job.cancellation().throwIfCancelled();
    ImageRequest request = job.request();
    if (request.prompt().isEmpty()) {
      throw new InvalidRequestException("prompt", "Remote image models draw from a prompt; build the request with "
          + "ImageRequest.builder(prompt). Latents, morphs and seeds without a prompt are for local GAN models.");
    }
    if (!request.latents().isEmpty() || request.morphTo().isPresent() || request.classLabel().isPresent()) {
      dropped.drop("ImageRequest.latents", "remote image APIs have no latent space; the prompt alone is sent.");
    }
    Call call = new Call(job);
    ImageResult result = HttpTransport.await(call.calls.result(send(request, call)), "the image request",
        job.cancellation());
    job.step(1, 1);
    return result;
  }

  @Override
  public ImageResult transfer(Job<StyleRequest> job) {
    job.cancellation().throwIfCancelled();
    Call call = new Call(job);
    ImageResult result = HttpTransport.await(call.calls.result(send(job.request(), call)), "the image edit request",
        job.cancellation());
    job.step(1, 1);
    return result;
  }

  /**
   * One job's calls: the request and any downloads it leads to, all within the job's deadline, all cancelled with
   * the job (a future derived from a call does not cancel the call).
   */
  private final class Call {
    final InFlight calls;
    final HttpTransport.Deadline deadline;

    Call(Job<?> job) {
      this.calls = InFlight.of(job.cancellation());
      this.deadline = http.deadline(job.timeout().orElse(null));
    }
  }

  private CompletableFuture<ImageResult> send(ImageRequest request, Call call) {
    long start = System.nanoTime();
    Dialect dialect = http.settings().dialect;
    if (request.initImage().isPresent()) {
      Image init = request.initImage().orElseThrow();
      double strength = request.strength().orElse(Double.NaN);
      if (strength == 0.0) {
        return unchanged(Collections.nCopies(request.count(), init), start);
      }
      Multipart form = new Multipart().field("model", model).field("prompt", request.prompt())
          .field("n", request.count());
      responseFormat(form::field);
      request.width().ifPresent(w -> form.field("size", w + "x" + request.height().orElse(w)));
      diffusionFields(request, form::field);
      if (!Double.isNaN(strength)) {
        optional(dialect.strengthField, "ImageRequest.strength", strength, form::field);
      }
      form.file("image", "init.png", init.toPng());
      return send("/images/edits", form, start, "The image-to-image request", call);
    }
    ObjectNode body = json.createObjectNode().put("model", model).put("prompt", request.prompt())
        .put("n", request.count());
    FieldSink jsonField = (name, value) -> body.set(name, json.valueToTree(value));
    responseFormat(jsonField);
    request.width().ifPresent(w -> body.put("size", w + "x" + request.height().orElse(w)));
    diffusionFields(request, jsonField);
    byte[] bytes = write(body);
    return send(() -> http.request("/images/generations").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), start,
        "The image request to " + http.settings().baseUrl, call);
  }

  private CompletableFuture<ImageResult> send(StyleRequest request, Call call) {
    long start = System.nanoTime();
    if (request.strength() == 0.0) {
      return unchanged(List.of(request.content()), start);
    }
    String prompt = request.stylePrompt().orElse(request.style().isPresent()
        ? "Repaint the first image in the style of the second image." : "Repaint this image in a new artistic style.");
    if (request.strength() < 1.0) {
      prompt += String.format(Locale.ROOT, " Keep about %d%% of the original look.",
          Math.round((1 - request.strength()) * 100));
    }
    if (request.keepColours()) {
      dropped.drop("StyleRequest.keepColours", "the images API has no field for it; the server restyles colours too.");
    }
    Multipart form = new Multipart().field("model", model).field("prompt", prompt).field("n", 1);
    responseFormat(form::field);
    String imageField = request.style().isPresent() ? "image[]" : "image";
    form.file(imageField, "content.png", request.content().toPng());
    request.style().ifPresent(style -> form.file("image[]", "style.png", style.toPng()));
    return send("/images/edits", form, start, "The image edit request", call);
  }

  /** OpenAI's gpt-image models always answer in base64 and reject the field; every other server is asked. */
  private void responseFormat(FieldSink sink) {
    if (!model.toLowerCase(Locale.ROOT).startsWith("gpt-image")) {
      sink.put("response_format", "b64_json");
    }
  }

  private void diffusionFields(ImageRequest request, FieldSink sink) {
    Dialect dialect = http.settings().dialect;
    request.negativePrompt().ifPresent(n -> optional(dialect.negativePromptField, "ImageRequest.negativePrompt", n,
        sink));
    if (request.steps().isPresent()) {
      optional(dialect.stepsField, "ImageRequest.steps", request.steps().getAsInt(), sink);
    }
    if (request.guidanceScale().isPresent()) {
      optional(dialect.guidanceField, "ImageRequest.guidanceScale", request.guidanceScale().getAsDouble(), sink);
    }
    if (request.seed().isPresent()) {
      optional(dialect.imageSeedField, "ImageRequest.seed", request.seed().getAsLong(), sink);
    }
    request.scheduler().ifPresent(s -> dropped.drop("ImageRequest.scheduler", "no OpenAI-compatible image API "
        + "takes a scheduler; the server uses its own."));
  }

  private void optional(@Nullable String field, String option, Object value, FieldSink sink) {
    if (field == null) {
      dropped.drop(option, "the " + http.settings().dialect.settingName + " dialect has no image field for it. "
          + "Use dialect=vllm or dialect=generic for a server that takes diffusion options.");
    } else {
      sink.put(field, value);
    }
  }

  /** Where a request field goes: a JSON body (numbers as JSON numbers) or a multipart form (everything as text). */
  @FunctionalInterface
  private interface FieldSink {
    void put(String name, Object value);
  }

  private CompletableFuture<ImageResult> unchanged(List<Image> images, long start) {
    return CompletableFuture.completedFuture(ImageResult.of(images, Duration.ofNanos(System.nanoTime() - start)));
  }

  private CompletableFuture<ImageResult> send(String path, Multipart form, long start, String what, Call call) {
    byte[] bytes = form.end();
    return send(() -> http.request(path).header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), start, what + " to "
        + http.settings().baseUrl, call);
  }

  private CompletableFuture<ImageResult> send(Supplier<HttpRequest> request, long start, String what, Call call) {
    return call.calls.track(http.send(request, what, call.deadline)).thenCompose(response -> images(response, call))
        .thenApply(images -> ImageResult.of(images, Duration.ofNanos(System.nanoTime() - start)));
  }

  private CompletableFuture<List<Image>> images(HttpResponse<byte[]> response, Call call) {
    JsonNode data;
    try {
      data = json.readTree(response.body()).path("data");
    } catch (IOException e) {
      throw RemoteApiException.builder("The image answer is not JSON (" + ErrorBodies.reason(e) + ")"
          + ErrorBodies.firstBytes(response.body())).status(response.statusCode()).cause(e).build();
    }
    if (!data.isArray() || data.size() == 0) {
      throw RemoteApiException.builder("The image answer has no 'data' list of images"
          + ErrorBodies.firstBytes(response.body())).status(response.statusCode()).build();
    }
    List<CompletableFuture<Image>> images = new ArrayList<>();
    for (JsonNode item : data) {
      if (item.path("b64_json").isTextual()) {
        byte[] encoded;
        try {
          encoded = Base64.getMimeDecoder().decode(item.path("b64_json").asText());
        } catch (IllegalArgumentException e) {
          throw RemoteApiException.builder("An image in the answer is not valid base64: " + e.getMessage())
              .status(response.statusCode()).cause(e).build();
        }
        images.add(CompletableFuture.completedFuture(decode(encoded)));
      } else if (item.path("url").isTextual()) {
        images.add(download(item.path("url").asText(), call).thenApply(OpenAiImageEngine::decode));
      } else {
        throw RemoteApiException.builder("An image in the answer has neither b64_json nor url.")
            .status(response.statusCode()).build();
      }
    }
    return CompletableFuture.allOf(images.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
      List<Image> list = new ArrayList<>();
      images.forEach(f -> list.add(f.join()));
      return list;
    });
  }

  private static Image decode(byte[] encoded) {
    try {
      return Image.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw RemoteApiException.builder("The server sent an image the JDK cannot decode: " + e.getMessage())
          .status(200).cause(e).build();
    }
  }

  private CompletableFuture<byte[]> download(String url, Call call) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw RemoteApiException.builder(http.settings().redact("An image URL in the answer is not a URL: "
          + e.getMessage())).status(200).cause(e).build();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw RemoteApiException.builder(http.settings().redact("An image URL in the answer is not an absolute http "
          + "or https URL, so it is not downloaded: " + shorten(url) + ". The server should answer with b64_json "
          + "or a full URL.")).status(200).build();
    }
    try {
      HttpRequest.newBuilder(uri);
    } catch (IllegalArgumentException e) {
      throw RemoteApiException.builder(http.settings().redact("An image URL in the answer cannot be requested ("
          + e.getMessage() + "): " + shorten(url) + ".")).status(200).cause(e).build();
    }
    return call.calls.track(http.download(uri, "Downloading the image from " + uri.getHost(), call.deadline))
        .thenApply(HttpResponse::body);
  }

  private static String shorten(String url) {
    return url.length() > 200 ? url.substring(0, 200) + "..." : url;
  }

  private byte[] write(ObjectNode body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new Muse4jException("Could not write the request: " + e.getMessage(), e);
    }
  }

  /** Nothing to free: the backend owns the HTTP client. */
  @Override
  public void close() {}

  /** A multipart/form-data body. */
  private static final class Multipart {
    final String boundary = "muse4j-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Multipart field(String name, Object value) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
      return this;
    }

    Multipart file(String name, String filename, byte[] content) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
          + "\"\r\nContent-Type: image/png\r\n\r\n");
      out.writeBytes(content);
      write("\r\n");
      return this;
    }

    byte[] end() {
      write("--" + boundary + "--\r\n");
      return out.toByteArray();
    }

    private void write(String s) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }
}
