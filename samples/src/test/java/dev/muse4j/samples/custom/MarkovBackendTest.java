package dev.muse4j.samples.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.BackendConfig;
import dev.muse4j.ConfigurationException;
import dev.muse4j.FinishReason;
import dev.muse4j.ModelLoadException;
import dev.muse4j.Muse4j;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.testkit.BackendContract;
import dev.muse4j.testkit.TextGeneratorContract;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The sample third-party backend passes the testkit, and its own promises hold. */
class MarkovBackendTest {
  @Nested
  class Contract extends BackendContract {
    @Override
    protected String backendName() {
      return "markov";
    }
  }

  @Nested
  class TextContract extends TextGeneratorContract {
    @Override
    protected TextGenerator openGenerator() {
      return Muse4j.backend("markov").text("verse");
    }

    @Override
    protected TextRequest request() {
      return TextRequest.of("the river").withSampling(SamplingConfig.builder().maxTokens(16).seed(42)
          .temperature(0.9).build());
    }
  }

  @Test
  void aQuatrainEndsWithStopAndTheSameSeedRepeatsIt() {
    try (TextGenerator poet = Muse4j.backend("markov").text("verse")) {
      TextRequest request = TextRequest.of("the moon")
          .withSampling(SamplingConfig.builder().seed(7).temperature(0.8).maxTokens(200).build());

      TextResult first = poet.generate(request);

      assertThat(first.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(first.text().split("\n", -1)).hasSize(5);
      assertThat(poet.generate(request).text()).isEqualTo(first.text());
    }
  }

  @Test
  void stopStringsCutTheTextAndNeverLeakWhileStreaming() {
    try (TextGenerator poet = Muse4j.backend("markov").text("verse")) {
      TextRequest request = TextRequest.of("the").withSampling(SamplingConfig.greedy().toBuilder()
          .maxTokens(200).stop("sky").build());
      String full = poet.generate(TextRequest.of("the").withSampling(SamplingConfig.greedy().toBuilder()
          .maxTokens(200).build())).text();
      assertThat(full).contains("sky");

      TextResult cut = poet.generate(request);
      StringBuilder streamed = new StringBuilder();
      try (var stream = poet.stream(request)) {
        stream.forEach(c -> streamed.append(c.text()));
      }

      assertThat(cut.text()).isEqualTo(full.substring(0, full.indexOf("sky")));
      assertThat(cut.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(streamed.toString()).isEqualTo(cut.text());
    }
  }

  @Test
  void stopMatcherHoldsBackPossibleStopPrefixes() {
    StopMatcher m = new StopMatcher(List.of("END"));

    assertThat(m.accept("the E").safeText()).isEqualTo("the ");
    assertThat(m.accept("N").safeText()).isEmpty();
    StopMatcher.Step step = m.accept("D more");
    assertThat(step.stopped()).isTrue();
    assertThat(step.safeText()).isEmpty();
    StopMatcher other = new StopMatcher(List.of("END"));
    other.accept("the EN");
    assertThat(other.accept("ough").safeText()).isEqualTo("ENough");
  }

  @Test
  void settingsAndModelsAreChecked() {
    assertThatThrownBy(() -> Muse4j.backend("markov", BackendConfig.builder().set("order", 5).build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("must be 1, 2 or 3 but was 5");
    assertThatThrownBy(() -> Muse4j.backend("markov").text("no/such/corpus.txt"))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("'no/such/corpus.txt' is neither");
  }
}
