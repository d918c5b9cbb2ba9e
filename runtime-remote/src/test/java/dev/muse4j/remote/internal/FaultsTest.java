package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.GenerationTimeoutException;
import dev.muse4j.Image;
import dev.muse4j.ImageRequest;
import dev.muse4j.RemoteApiException;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Faults injected by a local server: retries, cut streams, bad bodies, slow and silent servers, big answers. */
class FaultsTest {
  private static final String OK = "{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":"
      + "\"assistant\",\"content\":\"fine\"}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";

  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private FakeServer server;
  private Backend backend;

  private Backend open(FakeServer.Handler... answers) throws IOException {
    return open(BackendConfig.empty(), answers);
  }

  private Backend open(BackendConfig extra, FakeServer.Handler... answers) throws IOException {
    AtomicInteger n = new AtomicInteger();
    server = new FakeServer(r -> answers[Math.min(n.getAndIncrement(), answers.length - 1)]);
    BackendConfig config = BackendConfig.builder().set("baseUrl", server.baseUrl()).set("apiKey", "sk-x").build()
        .merge(extra);
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
    backend = TestBackends.open(RemoteSettings.from(config, Map.of()), clock, d -> {
      waits.add(d);
      return Runnable::run;
    }, () -> 0.5);
    return backend;
  }

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void a429WithRetryAfterIsRetriedOnceAfterTheAskedWait() throws Exception {
    try (TextGenerator g = open(FakeServer.json(429, "{\"error\":{\"message\":\"slow down\"}}",
        Map.of("Retry-After", "2")), FakeServer.json(200, OK)).text("m")) {
      assertThat(g.generate(TextRequest.of("hi")).text()).isEqualTo("fine");
    }
    assertThat(server.requests).hasSize(2);
    assertThat(waits).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void retryAfterMsAndHttpDatesAreHonouredAndCapped() throws Exception {
    try (TextGenerator g = open(BackendConfig.builder().set("maxRetries", 3).set("maxRetryWait", "5s").build(),
        FakeServer.json(503, "{}", Map.of("retry-after-ms", "1500")),
        FakeServer.json(503, "{}", Map.of("Retry-After", "Sun, 22 Nov 2026 12:00:03 GMT")),
        FakeServer.json(503, "{}", Map.of("Retry-After", "3600")),
        FakeServer.json(200, OK)).text("m")) {
      g.generate(TextRequest.of("hi"));
    }
    assertThat(waits).containsExactly(Duration.ofMillis(1500), Duration.ofSeconds(3), Duration.ofSeconds(5));
  }

  @Test
  void serverErrorsGiveUpAfterMaxRetriesAndSaySo() throws Exception {
    try (TextGenerator g = open(FakeServer.json(503, "{\"error\":{\"message\":\"overloaded\"}}")).text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi")))
          .isInstanceOf(RemoteApiException.class)
          .hasMessageContaining("after 3 attempts").hasMessageContaining("overloaded")
          .satisfies(e -> {
            assertThat(((RemoteApiException) e).attempts()).isEqualTo(3);
            assertThat(((RemoteApiException) e).retryable()).isTrue();
          });
    }
    assertThat(server.requests).hasSize(3);
    // min(0.5 * 2^n, 8) s times a jitter of 0.75 + 0.25 * 0.5
    assertThat(waits).containsExactly(Duration.ofNanos(437_500_000), Duration.ofMillis(875));
  }

  @Test
  void otherClientErrorsAndShouldRetryFalseAreNotRetried() throws Exception {
    try (TextGenerator g = open(FakeServer.json(503, "{}", Map.of("x-should-retry", "false"))).text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi"))).isInstanceOf(RemoteApiException.class);
    }
    assertThat(server.requests).hasSize(1);
    stop();
    try (TextGenerator g = open(FakeServer.json(422, "{\"object\":\"error\",\"message\":\"bad top_k\","
        + "\"type\":\"BadRequestError\",\"param\":\"top_k\",\"code\":422}")).text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi"))).hasMessageContaining("bad top_k")
          .satisfies(e -> assertThat(((RemoteApiException) e).param()).hasValue("top_k"));
    }
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void aNonJsonErrorShowsTheStatusAndTheFirstBytes() throws Exception {
    try (TextGenerator g = open((r, x) -> FakeServer.send(x, 502, "text/html",
        "<html><body>Bad gateway from the proxy</body></html>".getBytes(StandardCharsets.UTF_8),
        Map.of("x-request-id", "req-42"))).text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi")))
          .hasMessageContaining("HTTP 502").hasMessageContaining("not a JSON error")
          .hasMessageContaining("Bad gateway from the proxy").hasMessageContaining("req-42");
    }
  }

  @Test
  void malformedSuccessBodiesAreReported() throws Exception {
    try (TextGenerator g = open(FakeServer.json(200, "{\"choices\": [ oops")).text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi"))).isInstanceOf(RemoteApiException.class)
          .hasMessageContaining("not an OpenAI completion");
    }
  }

  private static void sse(HttpExchange x, List<String> events, boolean done) throws IOException {
    x.getResponseHeaders().set("Content-Type", "text/event-stream");
    x.sendResponseHeaders(200, 0);
    OutputStream out = x.getResponseBody();
    for (String e : events) {
      out.write(("data: " + e + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    if (done) {
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }
    out.close();
  }

  private static String delta(String text) {
    return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}";
  }

  @Test
  void aStreamCutMidwayFailsAndKeepsTheText() throws Exception {
    try (TextGenerator g = open((r, x) -> sse(x, List.of(delta("Roses "), delta("are")), false)).text("m");
        TextStream s = g.stream(TextRequest.of("hi"))) {
      assertThatThrownBy(s::result).isInstanceOf(RemoteApiException.class).hasMessageContaining("ended before");
      assertThat(s.textSoFar()).isEqualTo("Roses are");
    }
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void aStreamCutInsideAnEventDropsTheHalfEventAndSaysSo() throws Exception {
    try (TextGenerator g = open((r, x) -> {
      OutputStream out = FakeServer.startSse(x);
      FakeServer.write(out, FakeServer.delta("Roses ") + "data: {\"choices\":[{\"index\":0,\"delta\":{\"cont");
      out.close();
    }).text("m"); TextStream s = g.stream(TextRequest.of("hi"))) {
      assertThatThrownBy(s::result).isInstanceOf(RemoteApiException.class)
          .hasMessageContaining("ended before it was complete").hasMessageContaining("the last event was cut off")
          .satisfies(e -> assertThat(((RemoteApiException) e).status()).isEmpty());
      assertThat(s.textSoFar()).isEqualTo("Roses ");
    }
  }

  @Test
  void aStreamIsNotRetriedOnceAnyEventArrived() throws Exception {
    String roleOnly = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
        + "\"content\":null}}]}\n\n";
    try (TextGenerator g = open((r, x) -> {
      OutputStream out = FakeServer.startSse(x);
      FakeServer.write(out, roleOnly);
      out.close();
    }, (r, x) -> sse(x, List.of(delta("a second answer")), true)).text("m");
        TextStream s = g.stream(TextRequest.of("hi"))) {
      assertThatThrownBy(s::result).hasMessageContaining("ended before it was complete");
      assertThat(s.textSoFar()).isEmpty();
    }
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void anErrorEventMidStreamIsRaisedWithTheTextSoFar() throws Exception {
    String error = "{\"error\":{\"message\":\"context overflow\",\"type\":\"server_error\",\"code\":500}}";
    try (TextGenerator g = open((r, x) -> sse(x, List.of(delta("half "), error), false)).text("m");
        TextStream s = g.stream(TextRequest.of("hi"))) {
      List<String> seen = new ArrayList<>();
      assertThatThrownBy(() -> s.forEach(c -> seen.add(c.text()))).hasMessageContaining("context overflow");
      assertThat(seen).containsExactly("half ");
      assertThat(s.textSoFar()).isEqualTo("half ");
    }
  }

  @Test
  void sseCommentsEventNamesAndMultiLineDataAreParsed() throws Exception {
    try (TextGenerator g = open((r, x) -> {
      x.getResponseHeaders().set("Content-Type", "text/event-stream");
      x.sendResponseHeaders(200, 0);
      try (OutputStream out = x.getResponseBody()) {
        out.write((": keep-alive\n\nevent: message\ndata: {\"choices\":[{\"index\":0,\n"
            + "data: \"delta\":{\"content\":\"two lines\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":null},\"finish_reason\":\"stop\"}],"
            + "\"unknown\":1}\r\n\r\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
      }
    }).text("m"); TextStream s = g.stream(TextRequest.of("hi"))) {
      assertThat(s.result().text()).isEqualTo("two lines");
    }
  }

  @Test
  void aStreamIsRetriedOnlyBeforeItsFirstEvent() throws Exception {
    try (TextGenerator g = open(FakeServer.json(503, "{}"),
        (r, x) -> sse(x, List.of(delta("ok")), true)).text("m"); TextStream s = g.stream(TextRequest.of("hi"))) {
      assertThat(s.result().text()).isEqualTo("ok");
    }
    assertThat(server.requests).hasSize(2);
  }

  @Test
  void aStreamThatEndsCleanlyBeforeItsFirstEventIsRetried() throws Exception {
    try (TextGenerator g = open((r, x) -> {
      OutputStream out = FakeServer.startSse(x);
      FakeServer.write(out, ": warming up\n\n");
      out.close();
    }, (r, x) -> sse(x, List.of(delta("ok")), true)).text("m"); TextStream s = g.stream(TextRequest.of("hi"))) {
      assertThat(s.result().text()).isEqualTo("ok");
    }
    assertThat(server.requests).hasSize(2);
    assertThat(waits).hasSize(1);
  }

  @Test
  void aStreamThatKeepsEndingBeforeItsFirstEventFailsAfterTheRetries() throws Exception {
    try (TextGenerator g = open((r, x) -> FakeServer.startSse(x).close()).text("m");
        TextStream s = g.stream(TextRequest.of("hi"))) {
      assertThatThrownBy(s::result).isInstanceOf(RemoteApiException.class)
          .hasMessageContaining("ended before it was complete")
          .satisfies(e -> assertThat(((RemoteApiException) e).attempts()).isEqualTo(3));
    }
    assertThat(server.requests).hasSize(3);
  }

  @Test
  void anHtmlPageWithStatus200IsNotAStreamAndIsNotRetried() throws Exception {
    try (TextGenerator g = open((r, x) -> FakeServer.send(x, 200, "text/html; charset=utf-8",
        "<html><body>Please sign in to the proxy</body></html>".getBytes(StandardCharsets.UTF_8), Map.of()))
        .text("m"); TextStream s = g.stream(TextRequest.of("hi"))) {
      assertThatThrownBy(s::result).isInstanceOf(RemoteApiException.class)
          .hasMessageContaining("the response was not an event stream").hasMessageContaining("text/html")
          .hasMessageContaining("Please sign in to the proxy")
          .satisfies(e -> {
            assertThat(((RemoteApiException) e).retryable()).isFalse();
            assertThat(((RemoteApiException) e).status()).hasValue(200);
          });
    }
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void anHtmlPageWithStatus200IsNotACompletion() throws Exception {
    try (TextGenerator g = open((r, x) -> FakeServer.send(x, 200, "text/html",
        "<html><body>Please sign in</body></html>".getBytes(StandardCharsets.UTF_8), Map.of())).text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi"))).isInstanceOf(RemoteApiException.class)
          .hasMessageContaining("the response was not JSON").hasMessageContaining("text/html")
          .satisfies(e -> assertThat(((RemoteApiException) e).retryable()).isFalse());
    }
    assertThat(server.requests).hasSize(1);
  }

  /** A stream that sends nothing but keep-alive comments, every 20 ms, until the client goes away. */
  private static void keepAliveForever(HttpExchange x, CountDownLatch release) throws Exception {
    OutputStream out = FakeServer.startSse(x);
    try {
      while (!release.await(20, TimeUnit.MILLISECONDS)) {
        FakeServer.write(out, ": keep-alive\n\n");
      }
    } catch (IOException clientLeft) {
      // expected
    }
  }

  @Test
  void aStreamOfKeepAlivesEndsAtTheTotalTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TextGenerator g = open(BackendConfig.builder().set("totalTimeout", "500ms").set("maxRetries", 0).build(),
        (r, x) -> keepAliveForever(x, release)).text("m")) {
      assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
        try (TextStream s = g.stream(TextRequest.of("hi"))) {
          assertThatThrownBy(s::result).isInstanceOf(GenerationTimeoutException.class)
              .hasMessageContaining("totalTimeout of 500 ms")
              .satisfies(e -> assertThat(((GenerationTimeoutException) e).timeout())
                  .isEqualTo(Duration.ofMillis(500)));
        }
      });
    } finally {
      release.countDown();
    }
  }

  @Test
  void aStreamOfKeepAlivesEndsAtTheRequestsOwnTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TextGenerator g = open((r, x) -> keepAliveForever(x, release)).text("m")) {
      assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
        try (TextStream s = g.stream(TextRequest.of("hi").withTimeout(Duration.ofMillis(300)))) {
          assertThatThrownBy(s::result).isInstanceOf(GenerationTimeoutException.class)
              .satisfies(e -> assertThat(((GenerationTimeoutException) e).timeout())
                  .isEqualTo(Duration.ofMillis(300)));
        }
      });
    } finally {
      release.countDown();
    }
  }

  @Test
  void theTotalTimeoutCoversRetriesAndWaits() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TextGenerator g = open(BackendConfig.builder().set("totalTimeout", "400ms").set("maxRetries", 10)
        .set("requestTimeout", "150ms").build(), (r, x) -> release.await(20, TimeUnit.SECONDS)).text("m")) {
      assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThatThrownBy(() -> g.generate(
          TextRequest.of("hi"))).isInstanceOf(GenerationTimeoutException.class)
          .hasMessageContaining("totalTimeout of 400 ms"));
    } finally {
      release.countDown();
    }
  }

  @Test
  void aSlowServerTimesOutWithTheConfiguredValue() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TextGenerator g = open(BackendConfig.builder().set("requestTimeout", "300ms").set("maxRetries", 1).build(),
        (r, x) -> {
          release.await(20, TimeUnit.SECONDS);
          FakeServer.send(x, 200, "application/json", OK.getBytes(StandardCharsets.UTF_8), Map.of());
        }).text("m")) {
      assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThatThrownBy(() -> g.generate(
          TextRequest.of("hi")))
          .isInstanceOf(GenerationTimeoutException.class).hasMessageContaining("requestTimeout of 300 ms")
          .hasMessageContaining("after 2 attempts")
          .satisfies(e -> assertThat(((GenerationTimeoutException) e).timeout()).isEqualTo(Duration.ofMillis(300))));
    } finally {
      release.countDown();
    }
  }

  @Test
  void aServerThatNeverAnswersCannotHangAStream() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TextGenerator g = open(BackendConfig.builder().set("requestTimeout", "200ms").set("maxRetries", 0).build(),
        (r, x) -> release.await(20, TimeUnit.SECONDS)).text("m")) {
      assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
        try (TextStream s = g.stream(TextRequest.of("hi"))) {
          assertThatThrownBy(s::result).isInstanceOf(GenerationTimeoutException.class);
        }
      });
    } finally {
      release.countDown();
    }
  }

  @Test
  void aRefusedConnectionIsRetriedThenExplained() throws Exception {
    open(FakeServer.json(200, OK));
    String dead = server.baseUrl();
    server.close();
    backend.close();
    backend = TestBackends.open(RemoteSettings.from(BackendConfig.builder().set("baseUrl", dead).build(),
        Map.of()), Clock.systemUTC(), d -> {
          waits.add(d);
          return Runnable::run;
        }, () -> 1.0);
    try (TextGenerator g = backend.text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi"))).isInstanceOf(RemoteApiException.class)
          .hasMessageContaining("could not connect to").hasMessageContaining("after 3 attempts");
    }
    assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  @Test
  void aTenMegabyteImageArrives() throws Exception {
    Random random = new Random(1);
    byte[] rgb = new byte[1800 * 1800 * 3];
    random.nextBytes(rgb);
    byte[] png = Image.ofRgb(1800, 1800, rgb).toPng();
    assertThat(png.length).isGreaterThan(9_000_000);
    String body = "{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png) + "\"}]}";
    open(FakeServer.json(200, body));
    try (var g = backend.image("m")) {
      Image image = g.generate(ImageRequest.builder("noise").size(1800, 1800).build()).image();
      assertThat(image.width()).isEqualTo(1800);
      assertThat(image.rgb()).isEqualTo(rgb);
    }
    assertThat(server.requests.peek().json().path("response_format").asText()).isEqualTo("b64_json");
    assertThat(server.requests.peek().json().path("size").asText()).isEqualTo("1800x1800");
  }

  @Test
  void anImageUrlIsDownloaded() throws Exception {
    byte[] png = Image.ofRgb(2, 2, new byte[12]).toPng();
    AtomicInteger step = new AtomicInteger();
    server = new FakeServer(r -> step.getAndIncrement() == 0
        ? FakeServer.json(200, "{\"data\":[{\"url\":\"URL\"}]}".replace("URL", "http://127.0.0.1:"
            + "PORT/files/img.png"))
        : (req, x) -> FakeServer.send(x, 200, "image/png", png, Map.of()));
    String port = server.baseUrl().replaceAll(".*:(\\d+)/v1", "$1");
    server.route(r -> r.path.startsWith("/files") ? (req, x) -> FakeServer.send(x, 200, "image/png", png, Map.of())
        : FakeServer.json(200, "{\"data\":[{\"url\":\"http://127.0.0.1:" + port + "/files/img.png\"}]}"));
    backend = TestBackends.open(RemoteSettings.from(BackendConfig.builder().set("baseUrl", server.baseUrl())
        .build(), Map.of()));
    try (var g = backend.image("m")) {
      assertThat(g.generate(ImageRequest.of("x")).image().width()).isEqualTo(2);
    }
    assertThat(server.requests).extracting(r -> r.path).containsExactly("/v1/images/generations", "/files/img.png");
  }

  @Test
  void anImageUrlThatIsAFileOrRelativeIsABadAnswer() throws Exception {
    for (String url : List.of("file:///etc/passwd", "/files/img.png", "img.png", "ftp://example.org/a.png",
        "http://[bad")) {
      open(FakeServer.json(200, "{\"data\":[{\"url\":\"" + url + "\"}]}"));
      try (var g = backend.image("m")) {
        assertThatThrownBy(() -> g.generate(ImageRequest.of("x"))).as(url).isInstanceOf(RemoteApiException.class)
            .hasMessageContaining("image URL");
      }
      assertThat(server.requests).as(url).hasSize(1);
      stop();
    }
    backend = null;
    server = null;
  }

  @Test
  void styleTransferSendsMultipartWithBothImages() throws Exception {
    byte[] png = Image.ofRgb(4, 4, new byte[48]).toPng();
    open(FakeServer.json(200, "{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png) + "\"}]}"));
    try (var style = backend.style("gpt-image-1")) {
      Image out = style.transfer(dev.muse4j.StyleRequest.builder(Image.ofRgb(4, 4, new byte[48]))
          .style(Image.ofRgb(4, 4, new byte[48])).stylePrompt("woodcut").strength(0.5).build()).image();
      assertThat(out.width()).isEqualTo(4);
    }
    FakeServer.Request r = server.requests.peek();
    String body = new String(r.body, StandardCharsets.ISO_8859_1);
    assertThat(r.path).isEqualTo("/v1/images/edits");
    assertThat(r.header("Content-Type")).startsWith("multipart/form-data; boundary=");
    assertThat(body).contains("name=\"prompt\"\r\n\r\nwoodcut Keep about 50% of the original look.")
        .contains("name=\"image[]\"; filename=\"content.png\"").contains("name=\"image[]\"; filename=\"style.png\"")
        .contains("name=\"model\"\r\n\r\ngpt-image-1");
  }
}
