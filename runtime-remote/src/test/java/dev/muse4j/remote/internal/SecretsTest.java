package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API key is never in a log line, an exception message or a {@code toString()} — not even when a server or a
 * proxy echoes the {@code Authorization} header back.
 */
class SecretsTest {
  private static final String KEY = "sk-proj-VerySecret0123456789";
  private FakeServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Echoes the caller's Authorization header inside whatever it answers. */
  private static String echo(FakeServer.Request r) {
    return String.valueOf(r.header("Authorization"));
  }

  private Backend backend(FakeServer.Handler... answers) throws Exception {
    AtomicInteger n = new AtomicInteger();
    server = new FakeServer(r -> answers[Math.min(n.getAndIncrement(), answers.length - 1)]);
    return TestBackends.open(RemoteSettings.from(BackendConfig.builder().set("baseUrl", server.baseUrl())
        .build(), Map.of("OPENAI_API_KEY", KEY)), Clock.systemUTC(), d -> Runnable::run, () -> 0.0);
  }

  @Test
  void serverEchoesOfTheKeyAreMaskedInErrorsAndLogs() throws Exception {
    try (CapturedLog log = new CapturedLog()) {
      try (Backend b = backend(
          (r, x) -> FakeServer.send(x, 503, "text/html", ("<html>proxy saw " + echo(r) + "</html>")
              .getBytes(StandardCharsets.UTF_8), Map.of()),
          (r, x) -> FakeServer.send(x, 401, "application/json", ("{\"error\":{\"message\":\"Incorrect API key "
              + "provided: " + echo(r) + "\",\"type\":\"invalid_request_error\"}}").getBytes(StandardCharsets.UTF_8),
              Map.of()));
          TextGenerator g = b.text("m")) {
        assertThatThrownBy(() -> g.generate(TextRequest.of("hi")
            .withSampling(SamplingConfig.builder().topK(5).build())))
            .hasMessageContaining("Incorrect API key provided: Bearer ****")
            .hasMessageNotContaining(KEY);
        assertThat(server.requests).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer "
            + KEY));
        assertThat(b.toString()).contains("apiKey=****").doesNotContain(KEY);
      }
      assertThat(log.text()).contains("retrying in").contains("SamplingConfig.topK is not sent")
          .doesNotContain(KEY);
    }
  }

  @Test
  void echoesInsideAStreamOrAMalformedAnswerAreMaskedToo() throws Exception {
    try (CapturedLog log = new CapturedLog()) {
      try (Backend b = backend(
          (r, x) -> {
            OutputStream out = FakeServer.startSse(x);
            FakeServer.write(out, FakeServer.delta("so far ") + "data: {\"error\":{\"message\":\"quota for "
                + echo(r) + " exceeded\"}}\n\n");
            out.close();
          },
          (r, x) -> FakeServer.send(x, 200, "application/json", ("not json, but " + echo(r))
              .getBytes(StandardCharsets.UTF_8), Map.of()));
          TextGenerator g = b.text("m")) {
        try (TextStream s = g.stream(TextRequest.of("hi"))) {
          assertThatThrownBy(s::result).hasMessageContaining("quota for Bearer **** exceeded")
              .hasMessageNotContaining(KEY);
          assertThat(s.textSoFar()).isEqualTo("so far ");
        }
        assertThatThrownBy(() -> g.generate(TextRequest.of("hi"))).hasMessageContaining("not an OpenAI completion")
            .hasMessageContaining("Bearer ****").hasMessageNotContaining(KEY);
      }
      assertThat(log.text()).doesNotContain(KEY);
    }
  }

  @Test
  void configurationAndSettingsNeverShowTheKey() {
    BackendConfig config = BackendConfig.builder().set("baseUrl", "http://127.0.0.1:9/v1").set("apiKey", KEY)
        .build();
    RemoteSettings settings = RemoteSettings.from(config, Map.of());

    assertThat(config.toString()).doesNotContain(KEY);
    assertThat(settings.toString()).contains("apiKey=****").doesNotContain(KEY);
    try (Backend b = Muse4j.backend("openai", config)) {
      assertThat(b.toString()).doesNotContain(KEY);
    }
  }
}
