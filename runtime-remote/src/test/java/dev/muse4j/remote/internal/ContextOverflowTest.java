package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Muse4j;
import dev.muse4j.RemoteApiException;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A prompt longer than the context is the caller's mistake on every backend: the servers' context-overflow errors
 * become the {@link InvalidRequestException} the local backend raises, with the server's answer as the cause.
 */
class ContextOverflowTest {
  /** llama-server, OpenAI and vLLM (two versions' wording), as each answers a prompt that does not fit. */
  private static final String LLAMA_CPP = "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available "
      + "context size, try increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":4100,"
      + "\"n_ctx\":4096}}";
  private static final String OPENAI = "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. "
      + "However, your messages resulted in 9000 tokens. Please reduce the length of the messages.\",\"type\":"
      + "\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";
  private static final String VLLM = "{\"object\":\"error\",\"message\":\"This model's maximum context length is 2048 "
      + "tokens. However, you requested 2300 tokens (2200 in the messages, 100 in the completion). Please reduce "
      + "the length of the messages or completion.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}";
  private static final String VLLM_V1 = "{\"object\":\"error\",\"message\":\"The decoder prompt (length 5000) is "
      + "longer than the maximum model length of 4096. Make sure that `max_model_len` is no smaller than the number "
      + "of text tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}";

  private FakeServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private Backend backend(String body) throws Exception {
    server = new FakeServer(r -> FakeServer.json(400, body));
    return Muse4j.backend("openai", BackendConfig.builder().set("baseUrl", server.baseUrl()).build());
  }

  private static void isContextOverflow(Throwable e) {
    assertThat(e).isInstanceOf(InvalidRequestException.class).hasMessageContaining("context window");
    assertThat(((InvalidRequestException) e).field()).isEqualTo("prompt");
    assertThat(e.getCause()).isInstanceOf(RemoteApiException.class);
    RemoteApiException server = (RemoteApiException) e.getCause();
    assertThat(server.status()).hasValue(400);
    assertThat(server.retryable()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {LLAMA_CPP, OPENAI, VLLM, VLLM_V1})
  void aGeneratedPromptTooLongIsAnInvalidRequest(String body) throws Exception {
    try (Backend b = backend(body); TextGenerator g = b.text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("a very long prompt")))
          .satisfies(ContextOverflowTest::isContextOverflow);
    }
    assertThat(server.requests).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {LLAMA_CPP, OPENAI, VLLM})
  void aStreamedPromptTooLongIsAnInvalidRequest(String body) throws Exception {
    try (Backend b = backend(body); TextGenerator g = b.text("m");
        TextStream s = g.stream(TextRequest.of("a very long prompt"))) {
      assertThatThrownBy(s::result).satisfies(ContextOverflowTest::isContextOverflow);
    }
  }

  @Test
  void theServersAnswerStaysAvailable() throws Exception {
    try (Backend b = backend(OPENAI); TextGenerator g = b.text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("long"))).satisfies(e -> {
        RemoteApiException server = (RemoteApiException) e.getCause();
        assertThat(server.code()).hasValue("context_length_exceeded");
        assertThat(server.param()).hasValue("messages");
        assertThat(e).hasMessageContaining("maximum context length is 8192 tokens");
      });
    }
  }

  @Test
  void otherBadRequestsStayRemoteApiExceptions() throws Exception {
    try (Backend b = backend("{\"error\":{\"code\":400,\"message\":\"Expected 'messages' to be an array\","
        + "\"type\":\"invalid_request_error\"}}"); TextGenerator g = b.text("m")) {
      assertThatThrownBy(() -> g.generate(TextRequest.of("hi"))).isExactlyInstanceOf(RemoteApiException.class);
    }
  }
}
