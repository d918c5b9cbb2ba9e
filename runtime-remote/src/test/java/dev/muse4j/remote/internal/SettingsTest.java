package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.ConfigurationException;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings are checked when the backend opens, with a message naming the setting and what it takes. */
class SettingsTest {
  private static BackendConfig with(String name, String value) {
    return BackendConfig.builder().set(name, value).build();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "baseUrl        | ftp://example.invalid/v1 | must be an http or https URL",
      "baseUrl        | not a url                | is not a URL",
      "maxRetries     | 11                       | between 0 and 10",
      "maxRetries     | -1                       | between 0 and 10",
      "requestTimeout | 0s                       | must be more than 0",
      "requestTimeout | 3000000h                 | at most 7 days",
      "connectTimeout | 3000000h                 | at most 7 days",
      "totalTimeout   | 0s                       | must be more than 0",
      "totalTimeout   | 169h                     | at most 7 days",
      "maxRetryWait   | 3000000h                 | between 0 and 7 days",
      "baseUrl        | http://localhost:99999/v1 | must be between 1 and 65535",
      "baseUrl        | http://localhost:0/v1    | must be between 1 and 65535",
      "baseUrl        | http://localhost/v1?x=1  | must not have a query",
      "connectTimeout | 0s                       | must be more than 0",
      "dialect        | anthropic                | one of openai, vllm, llama.cpp, ollama, generic",
      "textEndpoint   | responses                | 'chat' (/chat/completions) or 'completions'",
      "extraHeaders   | X-Team                   | Name=value pairs",
      "extraHeaders   | Authorization=Bearer x   | may not set Authorization",
      "extraHeaders   | Host=example.org         | will not send: 'Host'"})
  void aBadValueIsRejectedWhenTheBackendOpens(String setting, String value, String message) {
    assertThatThrownBy(() -> Muse4j.backend("openai", with(setting, value)))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining(message)
        .satisfies(e -> assertThat(((ConfigurationException) e).setting()).isEqualTo(setting));
  }

  @Test
  void aModelSettingIsRejectedWithAHint() {
    try (Backend b = Muse4j.backend("openai", BackendConfig.empty())) {
      assertThatThrownBy(() -> b.text("m", ModelOptions.defaults().withSetting("modelFlie", "model.onnx")))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("no model setting 'modelFlie'")
          .hasMessageContaining("Did you mean 'modelFile'?")
          .satisfies(e -> assertThat(((ConfigurationException) e).setting()).isEqualTo("modelFlie"));
      assertThatThrownBy(() -> b.image("m", ModelOptions.defaults().withSetting("requestTimout", "5s")))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("Did you mean 'requestTimeout'?")
          .hasMessageContaining("backend setting");
      assertThatThrownBy(() -> b.style("m", ModelOptions.defaults().withSetting("flavour", "x")))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("no model setting 'flavour'")
          .hasMessageNotContaining("Did you mean");
    }
  }

  @Test
  void aChatTemplateIsRejectedBecauseTheServerAppliesItsOwn() {
    try (Backend b = Muse4j.backend("openai", BackendConfig.empty())) {
      assertThatThrownBy(() -> b.text("m", ModelOptions.defaults().withChatTemplate("{{ messages }}")))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("the server applies the chat template")
          .satisfies(e -> assertThat(((ConfigurationException) e).setting()).isEqualTo("chatTemplate"));
      try (TextGenerator g = b.text("m", ModelOptions.defaults().withSampling(SamplingConfig.builder()
          .temperature(0.5).build()))) {
        assertThat(g).isNotNull();
      }
    }
  }

  @Test
  void theTotalTimeoutDefaultsToTenMinutes() {
    assertThat(RemoteSettings.from(BackendConfig.empty(), Map.of()).totalTimeout).hasMinutes(10);
    assertThat(RemoteSettings.from(with("totalTimeout", "1h"), Map.of()).totalTimeout).hasHours(1);
  }

  @Test
  void theDefaultsAreOpenAiWithTheKeyFromTheEnvironment() {
    RemoteSettings s = RemoteSettings.from(BackendConfig.empty(), Map.of("OPENAI_API_KEY", "sk-env"));

    assertThat(s.baseUrl).hasToString("https://api.openai.com/v1");
    assertThat(s.apiKey()).contains("sk-env");
    assertThat(s.maxRetries).isEqualTo(2);
    assertThat(s.maxRetryWait).hasSeconds(60);
    assertThat(s.dialect).isEqualTo(Dialect.OPENAI);
    assertThat(s.legacyCompletions).isFalse();
  }

  @Test
  void anExplicitKeyWinsAndATrailingSlashIsDropped() {
    RemoteSettings s = RemoteSettings.from(BackendConfig.builder().set("apiKey", "sk-set")
        .set("baseUrl", "http://localhost:8000/v1/").set("dialect", "llama-server").build(),
        Map.of("OPENAI_API_KEY", "sk-env"));

    assertThat(s.apiKey()).contains("sk-set");
    assertThat(s.endpoint("/models")).hasToString("http://localhost:8000/v1/models");
    assertThat(s.dialect).isEqualTo(Dialect.LLAMA_CPP);
  }

  @Test
  void extraHeadersAreNameValuePairs() {
    RemoteSettings s = RemoteSettings.from(with("extraHeaders", "X-Team=poetry, X-Env = prod"), Map.of());

    assertThat(s.extraHeaders).containsExactlyInAnyOrderEntriesOf(Map.of("X-Team", "poetry", "X-Env", "prod"));
  }
}
