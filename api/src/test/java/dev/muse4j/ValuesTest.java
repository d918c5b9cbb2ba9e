package dev.muse4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void tokensPerSecondCountsDecodeTimeAfterTheFirstToken() {
    Timings t = Timings.of(Duration.ofMillis(100), Duration.ofMillis(1100), 11);

    assertThat(t.tokensPerSecond()).isEqualTo(10.0);
    assertThat(Timings.of(Duration.ZERO, Duration.ZERO, 1).tokensPerSecond()).isZero();
    assertThat(Timings.unknown().generatedTokens()).isZero();
    assertThat(t.toString()).contains("10.0 tok/s");
  }

  @Test
  void anUnknownTimeToFirstTokenStaysEmpty() {
    Timings t = Timings.ofTotal(Duration.ofMillis(900), 12);

    assertThat(t.timeToFirstTokenIfKnown()).isEmpty();
    assertThat(t.timeToFirstToken()).isZero();
    assertThat(t.total()).isEqualTo(Duration.ofMillis(900));
    assertThat(t.generatedTokens()).isEqualTo(12);
    assertThat(t.tokensPerSecond()).isZero();
    assertThat(t.toString()).contains("ttft=unknown");
    assertThat(Timings.of(Duration.ofMillis(1), Duration.ofMillis(2), 1).timeToFirstTokenIfKnown())
        .hasValue(Duration.ofMillis(1));
    assertThatThrownBy(() -> Timings.ofTotal(Duration.ofMillis(-1), 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void progressEstimatesTheTimeLeft() {
    Progress p = Progress.of("denoising", 2, 8, Duration.ofSeconds(4));

    assertThat(p.fraction()).isEqualTo(0.25);
    assertThat(p.eta()).hasValue(Duration.ofSeconds(12));
    assertThat(Progress.of("x", 0, 3, Duration.ZERO).eta()).isEmpty();
    assertThatThrownBy(() -> Progress.of("x", 4, 3, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resultsExposeTheFirstChoiceAndAllChoices() {
    TextResult r = TextResult.ofChoices(List.of(TextChoice.of(0, "a", FinishReason.STOP),
        TextChoice.of(1, "b", FinishReason.LENGTH)), Usage.of(3, 4), Timings.unknown());

    assertThat(r.text()).isEqualTo("a");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage().orElseThrow().totalTokens()).isEqualTo(7);
    assertThatThrownBy(() -> TextResult.ofChoices(List.of(TextChoice.of(1, "x", FinishReason.STOP)), null,
        Timings.unknown())).hasMessage("choice 0 has index 1");
    assertThat(TextResult.of("t", FinishReason.STOP, null, Timings.unknown()).usage()).isEmpty();
  }

  @Test
  void exceptionsCarryTheirDetails() {
    RemoteApiException e = RemoteApiException.builder("Rate limited").status(429).type("rate_limit")
        .code("rate_limit_exceeded").param("model").requestId("req_1").retryable(true).attempts(3).build();

    assertThat(e.status()).hasValue(429);
    assertThat(e.type()).hasValue("rate_limit");
    assertThat(e.code()).hasValue("rate_limit_exceeded");
    assertThat(e.param()).hasValue("model");
    assertThat(e.requestId()).hasValue("req_1");
    assertThat(e.retryable()).isTrue();
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(RemoteApiException.builder("reset").build().status()).isEmpty();
    assertThat(new UnsupportedCapabilityException("openai", Capability.MUSIC))
        .hasMessageContaining("Backend 'openai' does not support music generation");
    assertThat(new BackendUnavailableException("x", null, "m").artifact()).isEmpty();
    assertThat(new GenerationTimeoutException(Duration.ofSeconds(5), "slow", null).timeout())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(new ModelLoadException("dir", "bad").model()).isEqualTo("dir");
  }

  @Test
  void chunksAreNeverEmpty() {
    assertThatThrownBy(() -> TextChunk.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(TextChunk.of("x")).isEqualTo(TextChunk.of("x")).hasToString("x");
  }

  @Test
  void backendSettingsLookSecretByName() {
    assertThat(BackendSetting.of("apiKey", "key", null).isSecret()).isTrue();
    assertThat(BackendSetting.of("baseUrl", "url", "x").isSecret()).isFalse();
    assertThat(BackendSetting.of("header", "h", "v").secret().toString()).doesNotContain("v)");
  }
}
