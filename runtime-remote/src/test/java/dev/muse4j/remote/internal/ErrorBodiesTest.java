package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.BackendConfig;
import dev.muse4j.RemoteApiException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every error body shape the servers we target send, read into the same exception fields. */
class ErrorBodiesTest {
  private static final RemoteSettings SETTINGS = RemoteSettings.from(BackendConfig.builder()
      .set("apiKey", "sk-unit-secret").build(), Map.of());

  private static RemoteApiException parse(int status, String body) {
    return ErrorBodies.parse(status, body.getBytes(StandardCharsets.UTF_8), "req-1", "The call", SETTINGS).build();
  }

  @Test
  void openAisNestedErrorFromTheApiReference() {
    RemoteApiException e = parse(404, "{\"error\":{\"message\":\"The model `gpt-9` does not exist or you do not "
        + "have access to it.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}");

    assertThat(e).hasMessageStartingWith("The call failed with HTTP 404: The model `gpt-9` does not exist")
        .hasMessageContaining("(request id req-1)").hasMessageContaining("Check baseUrl");
    assertThat(e.status()).hasValue(404);
    assertThat(e.type()).hasValue("invalid_request_error");
    assertThat(e.code()).hasValue("model_not_found");
    assertThat(e.param()).isEmpty();
    assertThat(e.requestId()).hasValue("req-1");
  }

  @Test
  void aNumericCodeAsLlamaServerSendsIt() {
    RemoteApiException e = parse(401, "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"authentication_error\","
        + "\"code\":401}}");

    assertThat(e.code()).hasValue("401");
    assertThat(e).hasMessageContaining("Invalid API Key").hasMessageContaining("Check the apiKey setting");
  }

  @Test
  void vllmsFlatErrorObject() {
    RemoteApiException e = parse(400, "{\"object\":\"error\",\"message\":\"top_k must be -1 or at least 1\","
        + "\"type\":\"BadRequestError\",\"param\":\"top_k\",\"code\":400}");

    assertThat(e).hasMessageContaining("top_k must be -1 or at least 1");
    assertThat(e.type()).hasValue("BadRequestError");
    assertThat(e.param()).hasValue("top_k");
    assertThat(e.code()).hasValue("400");
  }

  @Test
  void tgisErrorStringWithItsType() {
    RemoteApiException e = parse(422, "{\"error\":\"Input validation error: `inputs` must have less than 4096 "
        + "tokens\",\"error_type\":\"validation\"}");

    assertThat(e).hasMessageContaining("Input validation error");
    assertThat(e.type()).hasValue("validation");
  }

  @Test
  void fastApisDetailAsTextOrAsAList() {
    assertThat(parse(400, "{\"detail\":\"Invalid size format: '1024x'.\"}"))
        .hasMessageContaining("HTTP 400: Invalid size format: '1024x'.");
    assertThat(parse(422, "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"field required\"}]}"))
        .hasMessageContaining("field required");
  }

  @Test
  void anErrorObjectWithoutAMessageIsShownWhole() {
    RemoteApiException e = parse(500, "{\"error\":{\"type\":\"server_error\"}}");

    assertThat(e).hasMessageContaining("{\"type\":\"server_error\"}");
    assertThat(e.type()).hasValue("server_error");
  }

  @Test
  void aBodyThatIsNotJsonIsShownByItsFirstBytes() {
    String page = "<html><head><title>502 Bad Gateway</title></head><body>" + "x".repeat(500) + "</body></html>";
    RemoteApiException e = parse(502, page);

    assertThat(e).hasMessageContaining("HTTP 502: the response was not a JSON error (" + page.length() + " bytes, "
        + "starting: <html><head><title>502 Bad Gateway</title>").hasMessageContaining("...")
        .hasMessageContaining("may succeed later");
    assertThat(e.getMessage()).hasSizeLessThan(400);
    assertThat(parse(503, "")).hasMessageContaining("(0 bytes)");
  }
}
