package dev.muse4j.internal;

import static dev.muse4j.internal.CoreFakes.WAIT_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.ClosedException;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.Muse4jException;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.internal.CoreFakes.FakeImageEngine;
import dev.muse4j.internal.CoreFakes.FakeMusicEngine;
import dev.muse4j.internal.CoreFakes.FakeStyleEngine;
import dev.muse4j.internal.CoreFakes.FakeTextEngine;
import dev.muse4j.spi.EngineSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Using a closed generator or backend fails with a ClosedException that names what was closed. */
class CoreClosedStateTest {
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final FakeTextEngine text = new FakeTextEngine(events, i -> new CoreFakes.Script("hi"));
  private final FakeImageEngine image = new FakeImageEngine(2, events);
  private final FakeStyleEngine style = new FakeStyleEngine(2);
  private final FakeMusicEngine music = new FakeMusicEngine(2);
  private final AtomicInteger setCloses = new AtomicInteger();
  private final CoreBackend backend = CoreFakes.backend(EngineSet.builder()
      .text((m, o) -> text)
      .image((m, o) -> image)
      .style((m, o) -> style)
      .music((m, o) -> music)
      .onClose(() -> {
        setCloses.incrementAndGet();
        events.add("set closed");
      })
      .build());

  @Test
  void aClosedTextGeneratorRefusesGenerateStreamAndAsyncNamingItself() throws Exception {
    TextGenerator gen = backend.text("tiny-llm");
    gen.close();

    assertThatThrownBy(() -> gen.generate(TextRequest.of("hi")))
        .isInstanceOf(ClosedException.class)
        .isInstanceOf(Muse4jException.class)
        .hasMessageContaining("text generator tiny-llm");
    assertThatThrownBy(() -> gen.stream(TextRequest.of("hi")))
        .isInstanceOf(ClosedException.class)
        .hasMessageContaining("tiny-llm");
    CompletableFuture<?> future = gen.generateAsync(TextRequest.of("hi"));
    assertThatThrownBy(() -> future.get(WAIT_S, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(ClosedException.class).hasMessageContaining("tiny-llm");
    assertThat(text.starts).hasValue(0);
  }

  @Test
  void closedExceptionNamesTheGeneratorAndItsBackend() {
    ImageGenerator gen = backend.image("sd-mini");
    gen.close();
    assertThatThrownBy(() -> gen.generate(ImageRequest.of("a cat")))
        .isInstanceOfSatisfying(ClosedException.class, e -> {
          assertThat(e.what()).contains("image generator").contains("sd-mini").contains("fake");
          assertThat(e.getMessage()).contains(e.what()).contains("closed");
        });
    assertThat(image.stepper.calls).hasValue(0);
  }

  @Test
  void closedImageStyleAndMusicGeneratorsRefuseSyncAndAsync() {
    ImageGenerator img = backend.image("img");
    StyleTransfer sty = backend.style("sty");
    MusicGenerator mus = backend.music("mus");
    img.close();
    sty.close();
    mus.close();

    assertThatThrownBy(() -> img.generate(ImageRequest.of("x"))).isInstanceOf(ClosedException.class)
        .hasMessageContaining("img");
    assertThatThrownBy(() -> sty.transfer(StyleRequest.of(CoreFakes.picture(8, 8))))
        .isInstanceOf(ClosedException.class).hasMessageContaining("style transfer sty");
    assertThatThrownBy(() -> mus.generate(MusicRequest.of("x", Duration.ofSeconds(1))))
        .isInstanceOf(ClosedException.class).hasMessageContaining("music generator mus");
    assertThat(img.generateAsync(ImageRequest.of("x"))).failsWithin(Duration.ofSeconds(WAIT_S))
        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(ClosedException.class);
    assertThat(sty.transferAsync(StyleRequest.of(CoreFakes.picture(8, 8)))).failsWithin(Duration.ofSeconds(WAIT_S))
        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(ClosedException.class);
    assertThat(mus.generateAsync(MusicRequest.of("x", Duration.ofSeconds(1))))
        .failsWithin(Duration.ofSeconds(WAIT_S))
        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(ClosedException.class);
    assertThat(image.stepper.calls).hasValue(0);
    assertThat(style.stepper.calls).hasValue(0);
    assertThat(music.stepper.calls).hasValue(0);
  }

  @Test
  void aClosedBackendOpensNoGeneratorOfAnyKind() {
    backend.close();
    for (Runnable open : List.<Runnable>of(() -> backend.text("m"), () -> backend.image("m"),
        () -> backend.style("m"), () -> backend.music("m"))) {
      assertThatThrownBy(open::run)
          .isInstanceOfSatisfying(ClosedException.class, e -> assertThat(e.what()).isEqualTo("backend fake"));
    }
  }

  @Test
  void closingTwiceIsHarmlessAndClosesTheEngineOnce() {
    TextGenerator gen = backend.text("m");
    gen.close();
    gen.close();
    assertThat(text.closes).hasValue(1);

    backend.close();
    backend.close();
    assertThat(setCloses).hasValue(1);
    assertThat(text.closes).hasValue(1);
  }

  @Test
  void closingTheBackendClosesItsGeneratorsThenTheEngineSet() {
    TextGenerator gen = backend.text("m");
    ImageGenerator img = backend.image("i");
    assertThat(backend.openGenerators()).isEqualTo(2);

    backend.close();

    assertThat(text.closes).hasValue(1);
    assertThat(image.stepper.closes).hasValue(1);
    assertThat(setCloses).hasValue(1);
    assertThat(events).containsOnlyOnce("set closed");
    assertThat(events.get(events.size() - 1)).isEqualTo("set closed");
    assertThat(events).filteredOn("engine closed"::equals).hasSize(2);
    assertThat(backend.openGenerators()).isZero();
    assertThatThrownBy(() -> gen.generate(TextRequest.of("hi"))).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> img.generate(ImageRequest.of("hi"))).isInstanceOf(ClosedException.class);
  }

  @Test
  void aGeneratorClosedByItsUserIsNotClosedAgainByTheBackend() {
    TextGenerator gen = backend.text("m");
    gen.close();
    assertThat(backend.openGenerators()).isZero();

    backend.close();

    assertThat(text.closes).hasValue(1);
    assertThat(events).containsExactly("engine closed", "set closed");
  }
}
