package dev.muse4j.internal;

import static dev.muse4j.internal.CoreFakes.WAIT_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Capability;
import dev.muse4j.FinishReason;
import dev.muse4j.GenerationEvent;
import dev.muse4j.ImageRequest;
import dev.muse4j.Muse4jException;
import dev.muse4j.MusicRequest;
import dev.muse4j.Progress;
import dev.muse4j.RemoteApiException;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Usage;
import dev.muse4j.internal.CoreFakes.FakeImageEngine;
import dev.muse4j.internal.CoreFakes.FakeMusicEngine;
import dev.muse4j.internal.CoreFakes.FakeTextEngine;
import dev.muse4j.internal.CoreFakes.RecordingListener;
import dev.muse4j.internal.CoreFakes.Script;
import dev.muse4j.spi.EngineSet;
import dev.muse4j.spi.TextOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engine steps become Progress for the request's listener; every generation's lifecycle reaches the listener. */
class CoreProgressAndListenerTest {
  private final FakeImageEngine image = new FakeImageEngine(4);
  private final FakeMusicEngine music = new FakeMusicEngine(3);
  private final FakeTextEngine text = new FakeTextEngine(Collections.synchronizedList(new ArrayList<>()), i -> {
    Script s = new Script("one", " two", " three");
    s.outcome = TextOutcome.of(FinishReason.LENGTH, Usage.of(4, 3));
    return s;
  });
  private final EngineSet engines = EngineSet.builder()
      .text((m, o) -> text)
      .image((m, o) -> image)
      .music((m, o) -> music)
      .build();
  private CoreBackend backend;

  @AfterEach
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  private RecordingListener listen() {
    RecordingListener listener = new RecordingListener();
    backend = CoreFakes.backend(engines, CoreFakes.config().withListener(listener));
    return listener;
  }

  @Test
  void eachEngineStepBecomesOneProgressWithElapsedAndEta() {
    backend = CoreFakes.backend(engines);
    List<Progress> progress = new CopyOnWriteArrayList<>();

    backend.image("m").generate(ImageRequest.builder("x").progressListener(progress::add).build());

    assertThat(progress).extracting(Progress::step).containsExactly(1, 2, 3, 4);
    assertThat(progress).extracting(Progress::totalSteps).containsOnly(4);
    assertThat(progress).allSatisfy(p -> {
      assertThat(p.elapsed()).isGreaterThanOrEqualTo(Duration.ZERO);
      assertThat(p.eta()).isPresent();
      assertThat(p.eta().get()).isGreaterThanOrEqualTo(Duration.ZERO);
    });
    assertThat(progress.get(3).eta()).contains(Duration.ZERO);
    assertThat(progress).extracting(Progress::elapsed).isSorted();
  }

  @Test
  void musicStepsBecomeProgressToo() {
    backend = CoreFakes.backend(engines);
    List<Progress> progress = new CopyOnWriteArrayList<>();

    backend.music("m").generate(MusicRequest.builder("x").duration(Duration.ofSeconds(1))
        .progressListener(progress::add).build());

    assertThat(progress).extracting(Progress::step).containsExactly(1, 2, 3);
  }

  @Test
  void aJobReportsStartFirstOutputAndEndWithStopUnderOneId() {
    RecordingListener listener = listen();

    backend.image("sd").generate(ImageRequest.of("x"));

    assertThat(listener.calls).containsExactly("start", "first", "end:STOP");
    assertThat(listener.events).extracting(GenerationEvent::id).containsOnly(listener.events.get(0).id());
    assertThat(listener.events).allSatisfy(e -> {
      assertThat(e.backend()).isEqualTo("fake");
      assertThat(e.model()).isEqualTo("sd");
      assertThat(e.kind()).isEqualTo(Capability.IMAGE);
      assertThat(e.elapsed()).isGreaterThanOrEqualTo(Duration.ZERO);
    });
    assertThat(listener.events.get(0).finishReason()).isEmpty();
  }

  @Test
  void eachGenerationHasItsOwnId() {
    RecordingListener listener = listen();

    backend.image("m").generate(ImageRequest.of("x"));
    backend.image("m").generate(ImageRequest.of("y"));

    assertThat(listener.events).hasSize(6);
    assertThat(listener.events.get(0).id()).isNotEqualTo(listener.events.get(3).id());
  }

  @Test
  void textReportsItsFinishReasonAndUsageAndFirstOutputOnce() {
    RecordingListener listener = listen();

    TextResult result = backend.text("llm").generate(TextRequest.of("x"));

    assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(listener.calls).containsExactly("start", "first", "end:LENGTH");
    GenerationEvent end = listener.events.get(2);
    assertThat(end.usage()).contains(Usage.of(4, 3));
    assertThat(end.kind()).isEqualTo(Capability.TEXT);
    assertThat(end.timings()).isPresent();
    assertThat(listener.events).extracting(GenerationEvent::id).containsOnly(end.id());
  }

  @Test
  void severalChoicesAreOneGenerationWithOneFirstOutput() {
    RecordingListener listener = listen();

    backend.text("llm").generate(TextRequest.of("x").withCount(3));

    assertThat(text.runs).hasSize(3);
    assertThat(listener.calls).containsExactly("start", "first", "end:LENGTH");
  }

  @Test
  void aStreamReportsLikeGenerate() {
    RecordingListener listener = listen();

    try (TextStream stream = backend.text("llm").stream(TextRequest.of("x"))) {
      stream.result();
    }

    assertThat(listener.calls).containsExactly("start", "first", "end:LENGTH");
  }

  @Test
  void aFailedJobReportsOnFailureWithTheError() {
    RecordingListener listener = listen();
    RemoteApiException failure = RemoteApiException.builder("quota exceeded").build();
    image.stepper.failure = failure;

    assertThatThrownBy(() -> backend.image("m").generate(ImageRequest.of("x"))).isSameAs(failure);

    assertThat(listener.calls).containsExactly("start", "failure");
    assertThat(listener.errors).containsExactly(failure);
    assertThat(listener.events.get(1).id()).isEqualTo(listener.events.get(0).id());
  }

  @Test
  void aFailedTextGenerationReportsOnFailureWithTheError() {
    RecordingListener listener = listen();
    Muse4jException failure = new Muse4jException("decoder broke");
    Script script = new Script("a");
    script.failAfter = 1;
    script.failure = failure;
    text.scripts = i -> script;

    assertThatThrownBy(() -> backend.text("m").generate(TextRequest.of("x"))).isSameAs(failure);

    assertThat(listener.calls).containsExactly("start", "first", "failure");
    assertThat(listener.errors).containsExactly(failure);
  }

  @Test
  void aCancelledStreamReportsAnEndWithCancelled() {
    RecordingListener listener = listen();

    try (TextStream stream = backend.text("m").stream(TextRequest.of("x"))) {
      stream.iterator().next();
    }

    assertThat(listener.calls).containsExactly("start", "first", "end:CANCELLED");
    assertThat(listener.errors).isEmpty();
  }

  @Test
  void anAsyncJobReportsToo() throws Exception {
    RecordingListener listener = listen();

    backend.image("m").generateAsync(ImageRequest.of("x")).get(WAIT_S, TimeUnit.SECONDS);
    CoreFakes.await(listener.ended, "the end event");

    assertThat(listener.calls).containsExactly("start", "first", "end:STOP");
  }

  /** A listener that records every call, then throws. */
  private static final class ThrowingListener extends RecordingListener {
    @Override
    void record(String what, GenerationEvent event) {
      super.record(what, event);
      throw new IllegalStateException("listener bug in " + what);
    }
  }

  @Test
  void aListenerThatThrowsNeverBreaksGeneration() {
    ThrowingListener listener = new ThrowingListener();
    backend = CoreFakes.backend(engines, CoreFakes.config().withListener(listener));

    assertThat(backend.image("m").generate(ImageRequest.of("x")).images()).hasSize(1);
    assertThat(listener.calls).containsExactly("start", "first", "end:STOP");

    listener.calls.clear();
    assertThat(backend.text("m").generate(TextRequest.of("x")).text()).isEqualTo("one two three");
    assertThat(listener.calls).containsExactly("start", "first", "end:LENGTH");

    listener.calls.clear();
    try (TextStream stream = backend.text("m").stream(TextRequest.of("x"))) {
      assertThat(stream.result().text()).isEqualTo("one two three");
    }
    assertThat(listener.calls).containsExactly("start", "first", "end:LENGTH");

    listener.calls.clear();
    RemoteApiException failure = RemoteApiException.builder("boom").build();
    image.stepper.failure = failure;
    assertThatThrownBy(() -> backend.image("m").generate(ImageRequest.of("x"))).isSameAs(failure);
    assertThat(listener.calls).containsExactly("start", "failure");
  }
}
