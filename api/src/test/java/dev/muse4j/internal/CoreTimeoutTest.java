package dev.muse4j.internal;

import static dev.muse4j.internal.CoreFakes.WAIT_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.GenerationTimeoutException;
import dev.muse4j.ImageRequest;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.MusicRequest;
import dev.muse4j.StyleRequest;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextStream;
import dev.muse4j.internal.CoreFakes.FakeImageEngine;
import dev.muse4j.internal.CoreFakes.FakeMusicEngine;
import dev.muse4j.internal.CoreFakes.FakeTextEngine;
import dev.muse4j.internal.CoreFakes.Script;
import dev.muse4j.spi.EngineSet;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A request's timeout cancels work that takes too long and surfaces as a GenerationTimeoutException. */
class CoreTimeoutTest {
  private static final Duration TIMEOUT = Duration.ofMillis(200);

  private final FakeImageEngine image = new FakeImageEngine(3);
  private final FakeMusicEngine music = new FakeMusicEngine(3);
  private final FakeTextEngine text;
  private final CoreBackend backend;

  CoreTimeoutTest() {
    Script script = new Script("so far");
    script.blockUntilCancelledAfter = 1;
    text = FakeTextEngine.scripted(script);
    image.stepper.pauseBefore = 2;
    image.stepper.resumeOnCancel = true;
    music.stepper.pauseBefore = 2;
    music.stepper.resumeOnCancel = true;
    backend = CoreFakes.backend(EngineSet.builder()
        .text((m, o) -> text)
        .image((m, o) -> image)
        .music((m, o) -> music)
        .build());
  }

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  @Test
  void aJobThatOutlivesItsTimeoutFailsWithGenerationTimeout() {
    ImageRequest request = ImageRequest.builder("x").timeout(TIMEOUT).build();

    assertThatThrownBy(() -> backend.image("m").generate(request))
        .isInstanceOfSatisfying(GenerationTimeoutException.class,
            e -> assertThat(e.timeout()).isEqualTo(TIMEOUT));
    assertThat(image.stepper.sawCancel).isTrue();
    assertThat(image.stepper.lastStep).hasValue(1);
    assertThat(image.stepper.jobs.get(0).timeout()).contains(TIMEOUT);
  }

  @Test
  void aMusicJobThatOutlivesItsTimeoutFailsWithGenerationTimeout() {
    MusicRequest request = MusicRequest.builder("x").duration(Duration.ofSeconds(1)).timeout(TIMEOUT).build();

    assertThatThrownBy(() -> backend.music("m").generate(request))
        .isInstanceOfSatisfying(GenerationTimeoutException.class,
            e -> assertThat(e.timeout()).isEqualTo(TIMEOUT));
  }

  @Test
  void anAsyncJobThatOutlivesItsTimeoutFailsItsFuture() {
    ImageRequest request = ImageRequest.builder("x").timeout(TIMEOUT).build();

    assertThat(backend.image("m").generateAsync(request))
        .failsWithin(Duration.ofSeconds(WAIT_S))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(GenerationTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(TIMEOUT));
  }

  @Test
  void aTextGenerationThatOutlivesItsTimeoutFailsWithGenerationTimeout() {
    TextGenerator gen = backend.text("m");

    assertThatThrownBy(() -> gen.generate(TextRequest.of("x").withTimeout(TIMEOUT)))
        .isInstanceOfSatisfying(GenerationTimeoutException.class,
            e -> assertThat(e.timeout()).isEqualTo(TIMEOUT));
    assertThat(text.run(0).job.timeout()).contains(TIMEOUT);
    assertThat(text.run(0).closes).hasValue(1);
  }

  @Test
  void anAsyncTextGenerationThatOutlivesItsTimeoutFailsItsFuture() {
    TextGenerator gen = backend.text("m");

    assertThat(gen.generateAsync(TextRequest.of("x").withTimeout(TIMEOUT)))
        .failsWithin(Duration.ofSeconds(WAIT_S))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(GenerationTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(TIMEOUT));
  }

  @Test
  void aStreamThatOutlivesItsTimeoutFailsWhileIteratingAndKeepsTheText() {
    TextGenerator gen = backend.text("m");

    try (TextStream stream = gen.stream(TextRequest.of("x").withTimeout(TIMEOUT))) {
      Iterator<TextChunk> it = stream.iterator();
      assertThat(it.next().text()).isEqualTo("so far");

      assertThatThrownBy(it::hasNext)
          .isInstanceOfSatisfying(GenerationTimeoutException.class,
              e -> assertThat(e.timeout()).isEqualTo(TIMEOUT));
      assertThat(stream.textSoFar()).isEqualTo("so far");
      assertThat(stream.isDone()).isTrue();
      assertThatThrownBy(stream::result).isInstanceOf(GenerationTimeoutException.class);
    }
    assertThat(text.run(0).closes).hasValue(1);
  }

  @Test
  void workThatFinishesInTimeIsUnaffected() {
    FakeImageEngine quick = new FakeImageEngine(2);
    try (CoreBackend b = CoreFakes.backend(CoreFakes.imageOnly(quick))) {
      assertThat(b.image("m").generate(ImageRequest.builder("x").timeout(Duration.ofSeconds(WAIT_S)).build())
          .images()).hasSize(1);
    }
    assertThat(quick.stepper.lastStep).hasValue(2);
  }

  @Test
  void aZeroOrNegativeTimeoutIsRefusedWhenTheRequestIsBuilt() {
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-1)}) {
      assertThatThrownBy(() -> TextRequest.of("x").withTimeout(bad))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("timeout"));
      assertThatThrownBy(() -> ImageRequest.builder("x").timeout(bad))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("timeout"));
      assertThatThrownBy(() -> StyleRequest.builder(CoreFakes.picture(8, 8)).timeout(bad))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> MusicRequest.builder("x").timeout(bad))
          .isInstanceOf(InvalidRequestException.class);
    }
  }
}
