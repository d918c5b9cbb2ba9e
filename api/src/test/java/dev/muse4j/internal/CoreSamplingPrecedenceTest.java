package dev.muse4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.ModelOptions;
import dev.muse4j.SamplingConfig;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextStream;
import dev.muse4j.internal.CoreFakes.FakeTextEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each sampling knob comes from the request, else the generator's default, else the model's own config, else the
 * engine's defaults; the engine sees the resolved config.
 */
class CoreSamplingPrecedenceTest {
  private CoreBackend backend;

  @AfterEach
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  private SamplingConfig received(FakeTextEngine engine) {
    return engine.run(engine.runs.size() - 1).job.request().sampling();
  }

  @Test
  void eachKnobComesFromTheFirstLayerThatSetsIt() {
    FakeTextEngine engine = new FakeTextEngine("ok");
    engine.engineDefaults = SamplingConfig.builder()
        .temperature(1.0).topK(10).topP(0.5).minP(0.01).maxTokens(100).build();
    engine.modelDefaults = SamplingConfig.builder().temperature(0.9).topK(20).topP(0.6).build();
    backend = CoreFakes.backend(CoreFakes.textOnly(engine));
    TextGenerator gen = backend.text("m",
        ModelOptions.defaults().withSampling(SamplingConfig.builder().temperature(0.8).topK(30).build()));

    gen.generate(TextRequest.of("x").withSampling(SamplingConfig.builder().temperature(0.7).build()));

    SamplingConfig s = received(engine);
    assertThat(s.temperature()).hasValue(0.7); // request
    assertThat(s.topK()).hasValue(30); // generator default
    assertThat(s.topP()).hasValue(0.6); // the model's config
    assertThat(s.minP()).hasValue(0.01); // the engine's defaults
    assertThat(s.maxTokens()).hasValue(100); // the engine's defaults
    assertThat(s.repetitionPenalty()).isEmpty(); // nobody set it
  }

  @Test
  void theGeneratorDefaultBeatsTheModelAndTheEngineWhenTheRequestSetsNothing() {
    FakeTextEngine engine = new FakeTextEngine("ok");
    engine.modelDefaults = SamplingConfig.builder().temperature(0.9).maxTokens(50).build();
    backend = CoreFakes.backend(CoreFakes.textOnly(engine));
    TextGenerator gen = backend.text("m",
        ModelOptions.defaults().withSampling(SamplingConfig.builder().temperature(0.2).build()));

    gen.generate(TextRequest.of("x"));

    SamplingConfig s = received(engine);
    assertThat(s.temperature()).hasValue(0.2);
    assertThat(s.maxTokens()).hasValue(50);
    // SamplingConfig.defaults(), the default engineDefaults(), fills topP.
    assertThat(s.topP()).hasValue(1.0);
  }

  @Test
  void streamsResolveSamplingTheSameWay() {
    FakeTextEngine engine = new FakeTextEngine("ok");
    engine.modelDefaults = SamplingConfig.builder().topK(5).build();
    backend = CoreFakes.backend(CoreFakes.textOnly(engine));
    TextGenerator gen = backend.text("m");

    try (TextStream stream = gen.stream(TextRequest.of("x")
        .withSampling(SamplingConfig.builder().maxTokens(12).build()))) {
      stream.result();
    }

    SamplingConfig s = received(engine);
    assertThat(s.maxTokens()).hasValue(12);
    assertThat(s.topK()).hasValue(5);
    assertThat(s.temperature()).hasValue(1.0);
  }

  @Test
  void anEngineWithEmptyDefaultsLeavesUnsetKnobsUnsetForTheServer() {
    FakeTextEngine engine = new FakeTextEngine("ok");
    engine.engineDefaults = SamplingConfig.empty();
    backend = CoreFakes.backend(CoreFakes.textOnly(engine));
    TextGenerator gen = backend.text("m");

    gen.generate(TextRequest.of("x").withSampling(SamplingConfig.builder().temperature(0.3).build()));

    SamplingConfig s = received(engine);
    assertThat(s.temperature()).hasValue(0.3);
    assertThat(s.topP()).isEmpty();
    assertThat(s.topK()).isEmpty();
    assertThat(s.maxTokens()).isEmpty();
    assertThat(s).isEqualTo(SamplingConfig.builder().temperature(0.3).build());
  }
}
