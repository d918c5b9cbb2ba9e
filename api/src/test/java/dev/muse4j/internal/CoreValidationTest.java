package dev.muse4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.SamplingConfig;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.internal.CoreFakes.FakeImageEngine;
import dev.muse4j.internal.CoreFakes.FakeMusicEngine;
import dev.muse4j.internal.CoreFakes.FakeStyleEngine;
import dev.muse4j.internal.CoreFakes.FakeTextEngine;
import dev.muse4j.spi.EngineSet;
import dev.muse4j.spi.Limits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The core checks every request against the engine's declared limits, naming the limit, before the engine runs. */
class CoreValidationTest {
  private final FakeTextEngine text = new FakeTextEngine("ok");
  private final FakeImageEngine image = new FakeImageEngine(1);
  private final FakeStyleEngine style = new FakeStyleEngine(1);
  private final FakeMusicEngine music = new FakeMusicEngine(1);
  private final CoreBackend backend = CoreFakes.backend(EngineSet.builder()
      .text((m, o) -> text)
      .image((m, o) -> image)
      .style((m, o) -> style)
      .music((m, o) -> music)
      .build());

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  private static InvalidRequestException invalid(Runnable call) {
    try {
      call.run();
    } catch (InvalidRequestException e) {
      return e;
    }
    throw new AssertionError("expected an InvalidRequestException");
  }

  @Test
  void maxTokensBeyondTheContextLengthIsNotRefusedButPassedOnUnchanged() {
    // By design (Validation.contextWarning) such a generation is only warned about: it ends with LENGTH at the
    // context window, as the model's own limit would end it.
    text.limits = Limits.builder().contextLength(100).build();
    TextGenerator gen = backend.text("m");

    gen.generate(TextRequest.of("x").withSampling(SamplingConfig.builder().maxTokens(100).build()));

    assertThat(text.starts).hasValue(1);
    assertThat(text.run(0).job.request().sampling().maxTokens()).hasValue(100);
  }

  @Test
  void theContextWarningNamesTheLimit() {
    Limits limits = Limits.builder().contextLength(100).build();

    assertThat(Validation.contextWarning(SamplingConfig.builder().maxTokens(100).build(), limits, "gen"))
        .contains("contextLength").contains("100").contains("at most 99");
    assertThat(Validation.contextWarning(SamplingConfig.builder().maxTokens(99).build(), limits, "gen")).isNull();
    assertThat(Validation.contextWarning(SamplingConfig.empty(), limits, "gen")).isNull();
    assertThat(Validation.contextWarning(SamplingConfig.builder().maxTokens(5000).build(), Limits.none(), "gen"))
        .isNull();
  }

  @Test
  void aTextCountAboveMaxCountIsRefused() {
    text.limits = Limits.builder().maxCount(2).build();
    TextGenerator gen = backend.text("m");

    InvalidRequestException e = invalid(() -> gen.generate(TextRequest.of("x").withCount(3)));

    assertThat(e.field()).isEqualTo("count");
    assertThat(e.getMessage()).contains("count is 3").contains("at most 2");
    assertThat(gen.generateAsync(TextRequest.of("x").withCount(3))).isCompletedExceptionally();
    assertThat(text.starts).hasValue(0);
  }

  @Test
  void aWidthAboveMaxSideIsRefusedWithTheNearestValidSize() {
    image.limits = Limits.builder().maxSide(512).build();
    ImageGenerator gen = backend.image("m");

    InvalidRequestException e = invalid(() -> gen.generate(ImageRequest.builder("x").size(1024, 512).build()));

    assertThat(e.field()).isEqualTo("width");
    assertThat(e.getMessage()).contains("maxSide").contains("nearest valid size is 512");
    assertThat(image.stepper.calls).hasValue(0);
  }

  @Test
  void aHeightAboveMaxSideIsRefused() {
    image.limits = Limits.builder().maxSide(512).build();
    ImageGenerator gen = backend.image("m");

    InvalidRequestException e = invalid(() -> gen.generate(ImageRequest.builder("x").size(512, 1024).build()));

    assertThat(e.field()).isEqualTo("height");
    assertThat(image.stepper.calls).hasValue(0);
  }

  @Test
  void aSideThatIsNotAMultipleIsRefusedWithTheNearestValidSize() {
    image.limits = Limits.builder().sideMultiple(64).build();
    ImageGenerator gen = backend.image("m");

    InvalidRequestException e = invalid(() -> gen.generate(ImageRequest.builder("x").size(600, 512).build()));

    assertThat(e.field()).isEqualTo("width");
    assertThat(e.getMessage()).contains("sideMultiple").contains("64").contains("nearest valid size is 576");
    assertThat(image.stepper.calls).hasValue(0);
  }

  @Test
  void aCountAboveMaxCountIsRefused() {
    image.limits = Limits.builder().maxCount(2).build();
    ImageGenerator gen = backend.image("m");

    InvalidRequestException e = invalid(() -> gen.generate(ImageRequest.builder("x").count(3).build()));

    assertThat(e.field()).isEqualTo("count");
    assertThat(e.getMessage()).contains("maxCount").contains("2");
    assertThat(image.stepper.calls).hasValue(0);
  }

  @Test
  void anUnknownSchedulerIsRefusedListingTheSupportedOnes() {
    image.limits = Limits.builder().schedulers(List.of("euler", "ddim")).build();
    ImageGenerator gen = backend.image("m");

    InvalidRequestException e = invalid(() -> gen.generate(ImageRequest.builder("x").scheduler("plms").build()));

    assertThat(e.field()).isEqualTo("scheduler");
    assertThat(e.getMessage()).contains("plms").contains("euler").contains("ddim");
    assertThat(image.stepper.calls).hasValue(0);
  }

  @Test
  void aSupportedSchedulerIsAccepted() {
    image.limits = Limits.builder().schedulers(List.of("euler", "ddim")).build();
    ImageGenerator gen = backend.image("m");

    gen.generate(ImageRequest.builder("x").scheduler("ddim").build());

    assertThat(image.stepper.calls).hasValue(1);
  }

  @Test
  void stepsAboveMaxStepsAreRefused() {
    image.limits = Limits.builder().maxSteps(50).build();
    ImageGenerator gen = backend.image("m");

    InvalidRequestException e = invalid(() -> gen.generate(ImageRequest.builder("x").steps(60).build()));

    assertThat(e.field()).isEqualTo("steps");
    assertThat(e.getMessage()).contains("maxSteps").contains("50");
    assertThat(image.stepper.calls).hasValue(0);
  }

  @Test
  void anInvalidAsyncImageRequestFailsTheFutureWithoutRunningTheEngine() {
    image.limits = Limits.builder().maxSteps(50).build();
    ImageGenerator gen = backend.image("m");

    assertThat(gen.generateAsync(ImageRequest.builder("x").steps(60).build()))
        .failsWithin(Duration.ofSeconds(CoreFakes.WAIT_S))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(InvalidRequestException.class);
    assertThat(image.stepper.calls).hasValue(0);
  }

  @Test
  void aStyleContentPictureAboveMaxSideIsRefused() {
    style.limits = Limits.builder().maxSide(16).build();
    StyleTransfer gen = backend.style("m");

    InvalidRequestException e = invalid(() -> gen.transfer(StyleRequest.of(CoreFakes.picture(32, 8))));

    assertThat(e.field()).isEqualTo("content");
    assertThat(e.getMessage()).contains("maxSide").contains("32x8").contains("16");
    assertThat(style.stepper.calls).hasValue(0);
  }

  @Test
  void aStylePictureAboveMaxSideIsRefused() {
    style.limits = Limits.builder().maxSide(16).build();
    StyleTransfer gen = backend.style("m");

    InvalidRequestException e = invalid(() -> gen.transfer(StyleRequest.builder(CoreFakes.picture(8, 8))
        .style(CoreFakes.picture(8, 24)).build()));

    assertThat(e.field()).isEqualTo("style");
    assertThat(style.stepper.calls).hasValue(0);
  }

  @Test
  void musicLongerThanMaxDurationIsRefused() {
    music.limits = Limits.builder().maxDuration(Duration.ofSeconds(10)).build();
    MusicGenerator gen = backend.music("m");

    InvalidRequestException e = invalid(() -> gen.generate(MusicRequest.of("x", Duration.ofSeconds(30))));

    assertThat(e.field()).isEqualTo("duration");
    assertThat(e.getMessage()).contains("maxDuration").contains("10.0 s");
    assertThat(music.stepper.calls).hasValue(0);
  }

  @Test
  void aNullRequestIsRefusedNamingTheRequest() {
    TextGenerator t = backend.text("m");
    ImageGenerator i = backend.image("m");
    StyleTransfer s = backend.style("m");
    MusicGenerator mu = backend.music("m");

    for (Runnable call : List.<Runnable>of(
        () -> t.generate((TextRequest) null),
        () -> t.stream(null),
        () -> i.generate(null),
        () -> s.transfer(null),
        () -> mu.generate(null))) {
      InvalidRequestException e = invalid(call);
      assertThat(e.field()).isEqualTo("request");
      assertThat(e.getMessage()).contains("request");
    }
    assertThat(t.generateAsync(null)).isCompletedExceptionally();
    assertThat(text.starts).hasValue(0);
    assertThat(image.stepper.calls).hasValue(0);
  }

  @Test
  void aNullOrBlankModelIsRefused() {
    assertThat(invalid(() -> backend.text(null)).field()).isEqualTo("model");
    assertThat(invalid(() -> backend.text("  ")).field()).isEqualTo("model");
    assertThat(invalid(() -> backend.image("")).field()).isEqualTo("model");
    assertThat(invalid(() -> backend.text("m", null)).field()).isEqualTo("options");
    assertThat(backend.openGenerators()).isZero();
  }
}
