package dev.muse4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.FinishReason;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextChoice;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.Usage;
import dev.muse4j.internal.CoreFakes.FakeTextEngine;
import dev.muse4j.internal.CoreFakes.Script;
import dev.muse4j.spi.Job;
import dev.muse4j.spi.TextOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several choices are one run when the engine can make them together, else one run per choice with seeds s, s+1... */
class CoreChoicesTest {
  private CoreBackend backend;

  @AfterEach
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  private TextGenerator generator(FakeTextEngine engine) {
    backend = CoreFakes.backend(CoreFakes.textOnly(engine));
    return backend.text("m");
  }

  @Test
  void anEngineThatMakesOneChoicePerRunGetsOneRunPerChoiceWithSuccessiveSeeds() {
    FakeTextEngine engine = new FakeTextEngine(Collections.synchronizedList(new ArrayList<>()), i -> {
      Script s = new Script("choice " + i);
      s.outcome = TextOutcome.of(i == 1 ? FinishReason.LENGTH : FinishReason.STOP, Usage.of(5, 2 + i));
      return s;
    });
    TextGenerator gen = generator(engine);

    TextResult result = gen.generate(TextRequest.of("x")
        .withSampling(SamplingConfig.builder().seed(42L).build())
        .withCount(3));

    List<Job<TextRequest>> jobs = engine.jobs();
    assertThat(jobs).hasSize(3);
    assertThat(jobs).extracting(j -> j.request().sampling().seed().getAsLong()).containsExactly(42L, 43L, 44L);
    assertThat(jobs).extracting(j -> j.request().count()).containsOnly(1);
    assertThat(engine.runs).extracting(r -> r.streamed).containsOnly(false);
    assertThat(result.choices()).containsExactly(
        TextChoice.of(0, "choice 0", FinishReason.STOP),
        TextChoice.of(1, "choice 1", FinishReason.LENGTH),
        TextChoice.of(2, "choice 2", FinishReason.STOP));
    assertThat(result.text()).isEqualTo("choice 0");
    // The prompt is counted once, the completions summed.
    assertThat(result.usage()).contains(Usage.of(5, 2 + 3 + 4));
    assertThat(engine.runs).allSatisfy(r -> assertThat(r.closes).hasValue(1));
  }

  @Test
  void withoutASeedTheChoicesHaveNoSeed() {
    FakeTextEngine engine = new FakeTextEngine("a");
    engine.engineDefaults = SamplingConfig.empty();
    TextGenerator gen = generator(engine);

    gen.generate(TextRequest.of("x").withCount(2));

    assertThat(engine.jobs()).hasSize(2)
        .allSatisfy(j -> assertThat(j.request().sampling().seed()).isEmpty());
  }

  @Test
  void anEngineThatMakesSeveralChoicesAtOnceGetsOneRun() {
    List<TextChoice> choices = List.of(
        TextChoice.of(0, "first", FinishReason.STOP),
        TextChoice.of(1, "second", FinishReason.LENGTH),
        TextChoice.of(2, "third", FinishReason.STOP));
    Script script = new Script();
    script.outcome = TextOutcome.ofChoices(choices, Usage.of(4, 9), null);
    FakeTextEngine engine = FakeTextEngine.scripted(script);
    engine.choicesPerRun = 4;
    TextGenerator gen = generator(engine);

    TextResult result = gen.generate(TextRequest.of("x")
        .withSampling(SamplingConfig.builder().seed(7L).build())
        .withCount(3));

    assertThat(engine.runs).hasSize(1);
    assertThat(engine.run(0).streamed).isFalse();
    assertThat(engine.run(0).job.request().count()).isEqualTo(3);
    assertThat(engine.run(0).job.request().sampling().seed()).hasValue(7L);
    assertThat(result.choices()).containsExactlyElementsOf(choices);
    assertThat(result.usage()).contains(Usage.of(4, 9));
    assertThat(engine.run(0).closes).hasValue(1);
  }

  @Test
  void aCountAboveWhatOneRunMakesFallsBackToOneRunPerChoice() {
    FakeTextEngine engine = new FakeTextEngine("a");
    engine.choicesPerRun = 2;
    TextGenerator gen = generator(engine);

    TextResult result = gen.generate(TextRequest.of("x").withCount(3));

    assertThat(engine.runs).hasSize(3);
    assertThat(result.choices()).hasSize(3);
  }

  @Test
  void aStreamCarriesOneChoiceOnly() {
    FakeTextEngine engine = new FakeTextEngine("a");
    engine.choicesPerRun = 4;
    TextGenerator gen = generator(engine);

    assertThatThrownBy(() -> gen.stream(TextRequest.of("x").withCount(2)))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("count"));
    assertThat(engine.starts).hasValue(0);
  }
}
