package dev.muse4j.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.BackendConfig;
import dev.muse4j.ConfigurationException;
import dev.muse4j.Muse4j;
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
