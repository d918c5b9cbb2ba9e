package dev.muse4j.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muse4j.GenerationCancelledException;
import dev.muse4j.Image;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.Muse4jException;
import dev.muse4j.Progress;
import dev.muse4j.RemoteApiException;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Pictures over {@code /images/generations} and style transfer over {@code /images/edits} (multipart, the content
 * picture first and a style picture as a second {@code image[]} where given). Answers come as base64 or as URLs,
 * which are downloaded. Thread-safe.
 */
public final class OpenAiImages implements ImageGenerator, StyleTransfer {
  private final String model;
  private final HttpTransport http;
  private final ObjectMapper json;
  private final Consumer<OpenAiImages> onClose;
  private volatile boolean closed;

  OpenAiImages(String model, HttpTransport http, ObjectMapper json, Consumer<OpenAiImages> onClose) {
    this.model = model;
    this.http = http;
    this.json = json;
    this.onClose = onClose;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public ImageResult generate(ImageRequest request) {
    checkOpen();
    checkInterrupt();
    long start = System.nanoTime();
    ObjectNode body = json.createObjectNode().put("model", model).put("prompt", request.prompt())
        .put("n", request.count()).put("response_format", "b64_json");
    if (request.width().isPresent()) {
      body.put("size", request.width().getAsInt() + "x" + request.height().getAsInt());
    }
    request.seed().ifPresent(s -> body.put("seed", s));
    request.negativePrompt().ifPresent(n -> body.put("negative_prompt", n));
    request.steps().ifPresent(s -> body.put("steps", s));
    byte[] bytes = write(body);
    request.progressListener().onProgress(Progress.of("waiting for the server", 0, 1, Duration.ZERO));
    HttpResponse<byte[]> response = HttpTransport.await(http.send(() -> http.request("/images/generations")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
        "The image request to " + http.settings().baseUrl), "the image request");
    List<Image> images = images(response.body());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    request.progressListener().onProgress(Progress.of("done", 1, 1, elapsed));
    return ImageResult.of(images, elapsed);
  }

  @Override
  public ImageResult transfer(StyleRequest request) {
    checkOpen();
    checkInterrupt();
    long start = System.nanoTime();
    String prompt = request.stylePrompt().orElse(request.style().isPresent()
        ? "Repaint the first image in the style of the second image." : "Repaint this image in a new artistic style.");
    if (request.strength() < 1.0) {
      prompt += String.format(java.util.Locale.ROOT, " Keep about %d%% of the original look.",
          Math.round((1 - request.strength()) * 100));
    }
    String boundary = "muse4j-" + UUID.randomUUID();
    Multipart form = new Multipart(boundary).field("model", model).field("prompt", prompt).field("n", "1")
        .field("response_format", "b64_json");
    String imageField = request.style().isPresent() ? "image[]" : "image";
    form.file(imageField, "content.png", request.content().toPng());
    request.style().ifPresent(style -> form.file("image[]", "style.png", style.toPng()));
    byte[] bytes = form.end();
    request.progressListener().onProgress(Progress.of("waiting for the server", 0, 1, Duration.ZERO));
    HttpResponse<byte[]> response = HttpTransport.await(http.send(() -> http.request("/images/edits")
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), "The image edit request to "
        + http.settings().baseUrl), "the image edit request");
    List<Image> images = images(response.body());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    request.progressListener().onProgress(Progress.of("done", 1, 1, elapsed));
    return ImageResult.of(images, elapsed);
  }

  private List<Image> images(byte[] body) {
    JsonNode data;
    try {
      data = json.readTree(body).path("data");
    } catch (IOException e) {
      throw RemoteApiException.builder("The image answer is not JSON: " + e.getMessage()).status(200).cause(e)
          .build();
    }
    if (!data.isArray() || data.size() == 0) {
      throw RemoteApiException.builder("The image answer has no 'data' list of images.").status(200).build();
    }
    List<Image> images = new ArrayList<>();
    for (JsonNode item : data) {
      byte[] encoded;
      if (item.path("b64_json").isTextual()) {
        encoded = Base64.getDecoder().decode(item.path("b64_json").asText());
      } else if (item.path("url").isTextual()) {
        encoded = download(item.path("url").asText());
      } else {
        throw RemoteApiException.builder("An image in the answer has neither b64_json nor url.").status(200).build();
      }
      try {
        images.add(Image.decode(encoded));
      } catch (IllegalArgumentException e) {
        throw RemoteApiException.builder("The server sent an image the JDK cannot decode: " + e.getMessage())
            .status(200).cause(e).build();
      }
    }
    return images;
  }

  private byte[] download(String url) {
    URI uri = URI.create(url);
    HttpResponse<byte[]> response = HttpTransport.await(http.send(() -> HttpRequest.newBuilder(uri)
        .timeout(http.settings().requestTimeout).GET().build(), "Downloading the image " + uri.getHost()),
        "the image download");
    return response.body();
  }

  private byte[] write(ObjectNode body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new Muse4jException("Could not write the request: " + e.getMessage(), e);
    }
  }

  private static void checkInterrupt() {
    if (Thread.currentThread().isInterrupted()) {
      throw new GenerationCancelledException("The calling thread was interrupted; the request was not sent.");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("This image client (" + model + ") is closed.");
    }
  }

  @Override
  public void close() {
    closed = true;
    onClose.accept(this);
  }

  /** A multipart/form-data body. */
  private static final class Multipart {
    private final String boundary;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Multipart(String boundary) {
      this.boundary = boundary;
    }

    Multipart field(String name, String value) {
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
