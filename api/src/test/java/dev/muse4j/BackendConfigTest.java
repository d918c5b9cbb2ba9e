package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BackendConfigTest {
  @Test
  void typedGettersReadValuesAndFallBackToDefaults() {
    BackendConfig config = BackendConfig.builder().set("threads", 4).set("ratio", "0.25").set("fast", "YES")
        .set("timeout", "1500ms").set("providers", " cuda , ,cpu").set("seed", "-9000000000").build();

    assertThat(config.getInt("threads", 1)).isEqualTo(4);
    assertThat(config.getInt("absent", 7)).isEqualTo(7);
    assertThat(config.getDouble("ratio", 0)).isEqualTo(0.25);
    assertThat(config.getBoolean("fast", false)).isTrue();
    assertThat(config.getDuration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.getList("providers")).containsExactly("cuda", "cpu");
    assertThat(config.getList("absent")).isEmpty();
    assertThat(config.getLong("seed", 0)).isEqualTo(-9_000_000_000L);
    assertThat(config.getString("absent", "x")).isEqualTo("x");
    assertThat(config.get("threads")).hasValue("4");
  }

  @Test
  void durationsTakeUnitsPlainSecondsOrIso() {
    BackendConfig c = BackendConfig.builder().set("a", "30").set("b", "2m").set("c", "PT1.5S").set("d", "1h")
        .build();

    assertThat(c.getDuration("a", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.getDuration("b", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.getDuration("c", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.getDuration("d", Duration.ZERO)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void malformedValuesNameTheSettingTheValueAndAnExample() {
    BackendConfig c = BackendConfig.builder().set("threads", "four").set("flag", "maybe").set("t", "soon")
        .set("ratio", "NaN").build();

    assertThatThrownBy(() -> c.getInt("threads", 1)).isInstanceOf(ConfigurationException.class)
        .hasMessage("Setting 'threads' must be an integer, but was 'four'. For example: threads=4.")
        .extracting(e -> ((ConfigurationException) e).setting()).isEqualTo("threads");
    assertThatThrownBy(() -> c.getBoolean("flag", false)).hasMessageContaining("must be true or false");
    assertThatThrownBy(() -> c.getDuration("t", Duration.ZERO)).hasMessageContaining("500ms, 30s, 2m or PT30S");
    assertThatThrownBy(() -> c.getDouble("ratio", 0)).hasMessageContaining("a finite number");
  }

  @Test
  void secretsNeverShowInToStringOrErrors() {
    BackendConfig c = BackendConfig.builder().set("apiKey", "sk-very-secret").set("baseUrl", "http://h").build();

    assertThat(c.toString()).doesNotContain("sk-very-secret").contains("apiKey=****").contains("baseUrl=http://h");
    assertThatThrownBy(() -> c.getInt("apiKey", 0)).hasMessageNotContaining("sk-very-secret")
        .hasMessageContaining("hidden");
    assertThat(BackendConfig.isSecret("authToken")).isTrue();
    assertThat(BackendConfig.isSecret("tokenizerPath")).isFalse();
  }

  @Test
  void environmentVariablesMapToCamelCaseSettingsOfOneBackend() {
    Map<String, String> env = Map.of(
        "MUSE4J_OPENAI_BASE_URL", "http://localhost:8000/v1",
        "MUSE4J_OPENAI_MAX_RETRIES", " 3 ",
        "MUSE4J_ONNX_EXECUTION_PROVIDER", "cuda",
        "OPENAI_API_KEY", "not-ours",
        "PATH", "/bin");

    BackendConfig openai = BackendConfig.fromEnvironment("openai", env);

    assertThat(openai.names()).containsExactly("baseUrl", "maxRetries");
    assertThat(openai.getInt("maxRetries", 0)).isEqualTo(3);
    assertThat(BackendConfig.fromEnvironment("onnx", env).get("executionProvider")).hasValue("cuda");
  }

  @Test
  void propertiesWithAPrefixBecomeSettings() {
    Properties p = new Properties();
    p.setProperty("muse4j.onnx.intraOpThreads", "2");
    p.setProperty("muse4j.openai.baseUrl", "x");
    p.setProperty("muse4j.onnx.", "ignored");

    assertThat(BackendConfig.fromProperties(p, "muse4j.onnx.").names()).containsExactly("intraOpThreads");
  }

  @Test
  void mergeAndWithReturnNewConfigs() {
    BackendConfig base = BackendConfig.builder().set("a", "1").set("b", "1").build();

    BackendConfig merged = base.merge(BackendConfig.builder().set("b", "2").build()).with("c", "3");

    assertThat(base.names()).containsExactly("a", "b");
    assertThat(merged.get("b")).hasValue("2");
    assertThat(merged.names()).containsExactly("a", "b", "c");
    assertThat(BackendConfig.builder().build()).isSameAs(BackendConfig.empty());
  }

  @Test
  void badNamesAndNullValuesAreRejected() {
    assertThatThrownBy(() -> BackendConfig.builder().set("9lives", "x"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("starting with a letter");
    assertThatThrownBy(() -> BackendConfig.builder().set("x", (String) null))
        .hasMessageContaining("must not be null");
    assertThat(List.of(BackendConfig.builder().set("x", "1").remove("x").build().names())).containsExactly(
        java.util.Set.of());
  }
}
