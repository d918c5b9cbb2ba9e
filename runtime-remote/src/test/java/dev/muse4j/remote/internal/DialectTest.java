package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each dialect spells the token limit and the non-standard sampling fields its server's way. */
class DialectTest {
  private static final String OK = "{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"content\":"
      + "\"x\"}}]}";

  @ParameterizedTest
  @CsvSource({
      "openai,    max_completion_tokens, ,      ,      ",
      "vllm,      max_tokens,            top_k, min_p, repetition_penalty",
      "llama.cpp, max_tokens,            top_k, min_p, repeat_penalty",
      "ollama,    max_tokens,            ,      ,      ",
      "generic,   max_tokens,            top_k, min_p, repetition_penalty"})
  void fieldsFollowTheDialect(String dialect, String maxField, String topK, String minP, String repetition)
      throws Exception {
    try (FakeServer server = new FakeServer(r -> FakeServer.json(200, OK));
        Backend b = Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl())
            .set("dialect", dialect).set("organization", "org-1").set("project", "proj-1")
            .set("extraHeaders", "X-Team=poetry").build());
        TextGenerator g = b.text("m")) {
      g.generate(TextRequest.of("hi").withSampling(SamplingConfig.builder().maxTokens(7).topK(40).minP(0.05)
          .repetitionPenalty(1.1).temperature(0.7).topP(0.9).presencePenalty(0.1).frequencyPenalty(0.2).seed(5)
          .stop("END").extra("user", "u-1").build()));

      FakeServer.Request request = server.requests.peek();
      JsonNode body = request.json();
      assertThat(body.path(maxField).asInt()).isEqualTo(7);
      assertThat(body.has(maxField.equals("max_tokens") ? "max_completion_tokens" : "max_tokens")).isFalse();
      assertThat(body.has("top_k")).isEqualTo("top_k".equals(topK));
      if (topK != null) {
        assertThat(body.path(topK).asInt()).isEqualTo(40);
        assertThat(body.path(minP).asDouble()).isEqualTo(0.05);
        assertThat(body.path(repetition).asDouble()).isEqualTo(1.1);
      } else {
        assertThat(body.has("min_p")).isFalse();
        assertThat(body.has("repetition_penalty")).isFalse();
      }
      assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
      assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
      assertThat(body.path("presence_penalty").asDouble()).isEqualTo(0.1);
      assertThat(body.path("frequency_penalty").asDouble()).isEqualTo(0.2);
      assertThat(body.path("seed").asLong()).isEqualTo(5);
      assertThat(body.path("stop").get(0).asText()).isEqualTo("END");
      assertThat(body.path("user").asText()).isEqualTo("u-1");
      assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
      assertThat(Map.of("org", request.header("OpenAI-Organization"), "proj", request.header("OpenAI-Project"),
          "team", request.header("X-Team"))).containsEntry("org", "org-1").containsEntry("proj", "proj-1")
          .containsEntry("team", "poetry");
    }
  }

  @Test
  void theLegacyCompletionsEndpointTakesMaxTokensEvenFromOpenAi() throws Exception {
    String legacy = "{\"choices\":[{\"index\":0,\"finish_reason\":\"length\",\"text\":\" leaves\"}]}";
    try (FakeServer server = new FakeServer(r -> FakeServer.json(200, legacy));
        Backend b = Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl())
            .set("textEndpoint", "completions").build());
        TextGenerator g = b.text("gpt-3.5-turbo-instruct")) {
      assertThat(g.generate(TextRequest.of("Autumn").withSampling(SamplingConfig.builder().maxTokens(3).build()))
          .text()).isEqualTo(" leaves");

      JsonNode body = server.requests.peek().json();
      assertThat(server.requests.peek().path).isEqualTo("/v1/completions");
      assertThat(body.path("prompt").asText()).isEqualTo("Autumn");
      assertThat(body.path("max_tokens").asInt()).isEqualTo(3);
      assertThat(body.has("max_completion_tokens")).isFalse();
      assertThat(body.has("messages")).isFalse();
    }
  }

  @Test
  void aDroppedFieldIsReportedOncePerBackendNotOncePerRequest() throws Exception {
    try (FakeServer server = new FakeServer(r -> FakeServer.json(200, OK)); CapturedLog log = new CapturedLog()) {
      for (int backend = 0; backend < 2; backend++) {
        try (Backend b = Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl())
            .set("dialect", "ollama").build()); TextGenerator g = b.text("m")) {
          for (int i = 0; i < 3; i++) {
            g.generate(TextRequest.of("hi").withSampling(SamplingConfig.builder().topK(40).minP(0.1).build()));
          }
        }
      }
      String text = log.text();
      assertThat(text.split("SamplingConfig.topK is not sent: the ollama dialect has no field for it", -1))
          .hasSize(3);
      assertThat(text.split("SamplingConfig.minP is not sent", -1)).hasSize(3);
      assertThat(text).contains("WARN").doesNotContain("SamplingConfig.repetitionPenalty");
      assertThat(server.requests).allSatisfy(r -> assertThat(r.json().has("top_k")).isFalse());
    }
  }
}
