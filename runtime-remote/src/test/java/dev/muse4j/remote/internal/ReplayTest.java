package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.ChatMessage;
import dev.muse4j.FinishReason;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.Muse4j;
import dev.muse4j.RemoteApiException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Usage;
import dev.muse4j.remote.OpenAiModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real traffic captured from llama.cpp's llama-server, replayed: requests must match, answers must parse. */
class ReplayTest {
  private Path wire;
  private FakeServer server;

  @BeforeEach
  void start() throws Exception {
    wire = Path.of(System.getProperty("muse4j.shared.dir", "../../shared"), "fixtures", "openai-wire");
    assumeTrue(Files.isDirectory(wire), "shared fixtures absent: " + wire);
    server = new FakeServer(r -> FakeServer.json(500, "{}"));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Backend backend(String... settings) {
    BackendConfig.Builder b = BackendConfig.builder().set("baseUrl", server.baseUrl()).set("dialect", "llama.cpp")
        .set("apiKey", "sk-test-secret");
    for (int i = 0; i < settings.length; i += 2) {
      b.set(settings[i], settings[i + 1]);
    }
    return Muse4j.backend("openai", b.build());
  }

  private JsonNode fixture(String name) throws Exception {
    return FakeServer.JSON.readTree(wire.resolve(name).toFile());
  }

  @Test
  void chatRequestMatchesTheCaptureAndTheAnswerParses() throws Exception {
    server.route(r -> FakeServer.replay(wire, "chat"));
    try (Backend b = backend(); TextGenerator g = b.text("tiny")) {
      TextResult r = g.generate(TextRequest.chat(ChatMessage.system("You are a poet."),
          ChatMessage.user("Write a haiku about autumn.")).withSampling(SamplingConfig.builder().maxTokens(12)
          .temperature(0.8).seed(42).build()));

      assertThat(server.requests.peek().json()).isEqualTo(fixture("chat.request.json"));
      assertThat(server.requests.peek().header("Authorization")).isEqualTo("Bearer sk-test-secret");
      assertThat(r.text()).isEqualTo(fixture("chat.response.body").at("/choices/0/message/content").asText());
      assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(r.usage()).contains(Usage.of(56, 12));
    }
  }

  private String streamedText(String name, String field) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(wire.resolve(name + ".response.body"))) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
        JsonNode n = FakeServer.JSON.readTree(line.substring(6)).at(field);
        if (n.isTextual()) {
          sb.append(n.asText());
        }
      }
    }
    return sb.toString();
  }

  @Test
  void chatStreamsWithNullDeltasAndUsage() throws Exception {
    server.route(r -> FakeServer.replay(wire, "chat-stream-usage"));
    try (Backend b = backend(); TextGenerator g = b.text("tiny")) {
      StringBuilder chunks = new StringBuilder();
      TextResult result;
      try (TextStream s = g.stream(TextRequest.of("Write a haiku about autumn.")
          .withSampling(SamplingConfig.builder().maxTokens(8).seed(42).build()))) {
        for (TextChunk c : s) {
          chunks.append(c.text());
        }
        result = s.result();
      }

      assertThat(server.requests.peek().json()).isEqualTo(fixture("chat-stream-usage.request.json"));
      assertThat(chunks.toString()).isEqualTo(streamedText("chat-stream-usage", "/choices/0/delta/content"))
          .isEqualTo(result.text()).isNotEmpty();
      assertThat(result.usage()).contains(Usage.of(35, 8));
    }
  }

  @Test
  void aStreamWithoutUsageStillCompletes() throws Exception {
    server.route(r -> FakeServer.replay(wire, "chat-stream"));
    try (Backend b = backend(); TextGenerator g = b.text("tiny");
        TextStream s = g.stream(TextRequest.of("Write a haiku about autumn."))) {
      TextResult result = s.result();
      assertThat(result.text()).isEqualTo(streamedText("chat-stream", "/choices/0/delta/content"));
      assertThat(result.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
    }
  }

  @Test
  void legacyCompletionsBlockingAndStreamed() throws Exception {
    server.route(r -> FakeServer.replay(wire, r.json().path("stream").asBoolean() ? "completion-stream"
        : "completion"));
    try (Backend b = backend("textEndpoint", "completions"); TextGenerator g = b.text("tiny")) {
      TextRequest request = TextRequest.of("The autumn leaves are falling,").withSampling(SamplingConfig.builder()
          .maxTokens(8).seed(1).stop("\n").build());
      TextResult r = g.generate(request);
      assertThat(server.requests.peek().path).isEqualTo("/v1/completions");
      assertThat(server.requests.peek().json()).isEqualTo(fixture("completion.request.json"));
      assertThat(r.text()).isEqualTo(fixture("completion.response.body").at("/choices/0/text").asText());

      try (TextStream s = g.stream(request)) {
        assertThat(s.result().text()).isEqualTo(streamedText("completion-stream", "/choices/0/text"));
      }
      assertThatThrownBy(() -> g.generate(TextRequest.chat(ChatMessage.user("hi"))))
          .hasMessageContaining("legacy /completions endpoint");
    }
  }

  @Test
  void severalChoicesAndRawExtrasLikeLogprobs() throws Exception {
    server.route(r -> FakeServer.replay(wire, "chat-n2-logprobs"));
    JsonNode captured = fixture("chat-n2-logprobs.request.json");
    try (Backend b = backend(); TextGenerator g = b.text("tiny")) {
      SamplingConfig.Builder sampling = SamplingConfig.builder();
      if (captured.has("max_tokens")) {
        sampling.maxTokens(captured.get("max_tokens").asInt());
      }
      if (captured.has("seed")) {
        sampling.seed(captured.get("seed").asLong());
      }
      if (captured.has("temperature")) {
        sampling.temperature(captured.get("temperature").asDouble());
      }
      sampling.extra("logprobs", captured.path("logprobs").asBoolean());
      if (captured.has("top_logprobs")) {
        sampling.extra("top_logprobs", captured.get("top_logprobs").asInt());
      }
      TextResult r = g.generate(TextRequest.chat(ChatMessage.user(captured.at("/messages/0/content").asText()))
          .withCount(2).withSampling(sampling.build()));

      assertThat(server.requests.peek().json()).isEqualTo(captured);
      assertThat(r.choices()).hasSize(2);
      assertThat(r.choices().get(1).text())
          .isEqualTo(fixture("chat-n2-logprobs.response.body").at("/choices/1/message/content").asText());
    }
  }

  @Test
  void errorsCarryStatusTypeAndCodeButNeverTheKey() {
    server.route(r -> FakeServer.replay(wire, r.header("Authorization") == null ? "error-401" : "error-400"));
    try (Backend b = backend(); TextGenerator g = b.text("tiny")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("x")))
          .isInstanceOf(RemoteApiException.class)
          .hasMessageContaining("HTTP 400: Expected 'messages' to be an array")
          .hasMessageNotContaining("sk-test-secret")
          .satisfies(e -> {
            RemoteApiException r = (RemoteApiException) e;
            assertThat(r.status()).hasValue(400);
            assertThat(r.type()).hasValue("invalid_request_error");
            assertThat(r.code()).hasValue("400");
            assertThat(r.retryable()).isFalse();
            assertThat(r.attempts()).isEqualTo(1);
          });
      assertThat(b.toString()).doesNotContain("sk-test-secret").contains("apiKey=****");
    }
    try (Backend anonymous = Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl())
        .build()); TextGenerator g = anonymous.text("tiny")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("x"))).hasMessageContaining("Invalid API Key")
          .hasMessageContaining("Check the apiKey setting");
    }
  }

  @Test
  void aMissingImagesEndpointIsA404WithAHint() {
    server.route(r -> FakeServer.replay(wire, "error-404-images"));
    try (Backend b = backend(); ImageGenerator g = b.image("tiny")) {
      assertThatThrownBy(() -> g.generate(ImageRequest.of("a lighthouse")))
          .isInstanceOf(RemoteApiException.class).hasMessageContaining("HTTP 404: File Not Found")
          .hasMessageContaining("may not offer this endpoint");
    }
  }

  @Test
  void modelsAreListed() {
    server.route(r -> FakeServer.replay(wire, "models"));
    try (Backend b = backend()) {
      assertThat(OpenAiModels.list(b)).containsExactly("tiny");
      assertThat(server.requests.peek().path).isEqualTo("/v1/models");
    }
  }
}
