package dev.muse4j.internal;

import static dev.muse4j.internal.CoreFakes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.FinishReason;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Muse4jException;
import dev.muse4j.RemoteApiException;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.TextStream;
import dev.muse4j.Usage;
import dev.muse4j.internal.CoreFakes.FakeTextEngine;
import dev.muse4j.internal.CoreFakes.Script;
import dev.muse4j.internal.CoreFakes.ScriptedRun;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A TextStream pulls the engine's pieces on the consumer's thread and frees its run exactly once. */
class CoreStreamTest {
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
  void chunksConcatenateToTheResultText() {
    FakeTextEngine engine = new FakeTextEngine("Once", " upon", " a time");
    TextGenerator gen = generator(engine);

    List<String> chunks = new ArrayList<>();
    try (TextStream stream = gen.stream(TextRequest.of("tell"))) {
      for (TextChunk chunk : stream) {
        chunks.add(chunk.text());
      }
      TextResult result = stream.result();
      assertThat(chunks).containsExactly("Once", " upon", " a time");
      assertThat(result.text()).isEqualTo(String.join("", chunks));
      assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(result.usage()).contains(Usage.of(3, 2));
      assertThat(stream.isDone()).isTrue();
    }
    assertThat(engine.run(0).streamed).isTrue();
    assertThat(engine.run(0).closes).hasValue(1);
  }

  @Test
  void resultWithoutIteratingReadsTheWholeText() {
    FakeTextEngine engine = new FakeTextEngine("a", "b");
    TextGenerator gen = generator(engine);
    try (TextStream stream = gen.stream(TextRequest.of("x"))) {
      assertThat(stream.result().text()).isEqualTo("ab");
      assertThat(stream.textSoFar()).isEqualTo("ab");
    }
  }

  @Test
  void aSecondIteratorIsRefused() {
    TextGenerator gen = generator(new FakeTextEngine("a"));
    try (TextStream stream = gen.stream(TextRequest.of("x"))) {
      stream.iterator();
      assertThatThrownBy(stream::iterator).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("only once");
    }
  }

  @Test
  void closeFromAnotherThreadWakesABlockedConsumerAndEndsCancelled() throws Exception {
    Script script = new Script("Hello", ", wor");
    script.blockUntilCancelledAfter = 2;
    FakeTextEngine engine = FakeTextEngine.scripted(script);
    TextGenerator gen = generator(engine);
    TextStream stream = gen.stream(TextRequest.of("x"));

    List<String> seen = new ArrayList<>();
    AtomicReference<Throwable> consumerError = new AtomicReference<>();
    CountDownLatch consumerDone = new CountDownLatch(1);
    Thread consumer = new Thread(() -> {
      try {
        for (TextChunk c : stream) {
          seen.add(c.text());
        }
      } catch (Throwable t) {
        consumerError.set(t);
      } finally {
        consumerDone.countDown();
      }
    }, "consumer");
    consumer.start();
    ScriptedRun run = awaitRun(engine, 0);
    await(run.blocked, "the consumer to block in next()");

    stream.close();

    await(consumerDone, "the consumer to wake");
    assertThat(consumerError.get()).isNull();
    assertThat(seen).containsExactly("Hello", ", wor");
    TextResult result = stream.result();
    assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(result.text()).isEqualTo("Hello, wor");
    assertThat(stream.textSoFar()).isEqualTo("Hello, wor");
    assertThat(stream.isDone()).isTrue();
    assertThat(run.closes).hasValue(1);
    assertThat(run.overlapped).isFalse();
    assertThat(run.nextAfterClose).isFalse();
    assertThat(run.events).containsSubsequence("next returned after cancel", "run closed");
  }

  @Test
  void closingTwiceClosesTheRunOnce() {
    FakeTextEngine engine = new FakeTextEngine("a", "b");
    TextGenerator gen = generator(engine);
    TextStream stream = gen.stream(TextRequest.of("x"));
    Iterator<TextChunk> it = stream.iterator();
    assertThat(it.next().text()).isEqualTo("a");

    stream.close();
    stream.close();

    assertThat(engine.run(0).closes).hasValue(1);
    assertThat(stream.result().finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(stream.result().text()).isEqualTo("a");
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void aStreamNobodyReadsIsFreedWhenItsGeneratorCloses() {
    FakeTextEngine engine = new FakeTextEngine("never", "read");
    TextGenerator gen = generator(engine);
    TextStream stream = gen.stream(TextRequest.of("x"));
    assertThat(engine.run(0).closes).hasValue(0);

    gen.close();

    assertThat(engine.run(0).closes).hasValue(1);
    assertThat(engine.closes).hasValue(1);
    assertThat(engine.events).containsSubsequence("run closed", "engine closed");
    assertThat(stream.isDone()).isTrue();
    assertThat(stream.result().finishReason()).isEqualTo(FinishReason.CANCELLED);
  }

  @Test
  void anEngineFailureMidStreamSurfacesFromHasNextAndKeepsTheText() {
    Script script = new Script("partial ", "text");
    script.failAfter = 2;
    RemoteApiException failure = RemoteApiException.builder("server went away").build();
    script.failure = failure;
    FakeTextEngine engine = FakeTextEngine.scripted(script);
    TextGenerator gen = generator(engine);
    try (TextStream stream = gen.stream(TextRequest.of("x"))) {
      Iterator<TextChunk> it = stream.iterator();
      assertThat(it.next().text()).isEqualTo("partial ");
      assertThat(it.next().text()).isEqualTo("text");

      assertThatThrownBy(it::hasNext).isSameAs(failure);
      assertThat(stream.textSoFar()).isEqualTo("partial text");
      assertThatThrownBy(it::hasNext).isSameAs(failure);
      assertThatThrownBy(stream::result).isSameAs(failure);
    }
    assertThat(engine.run(0).closes).hasValue(1);
  }

  @Test
  void aPlainRuntimeExceptionFromTheEngineIsWrapped() {
    Script script = new Script("a");
    script.failAfter = 1;
    IllegalStateException bug = new IllegalStateException("engine bug");
    script.failure = bug;
    TextGenerator gen = generator(FakeTextEngine.scripted(script));
    try (TextStream stream = gen.stream(TextRequest.of("x"))) {
      Iterator<TextChunk> it = stream.iterator();
      it.next();
      assertThatThrownBy(it::hasNext)
          .isExactlyInstanceOf(Muse4jException.class)
          .hasMessageContaining("engine bug")
          .hasCause(bug);
    }
  }

  @Test
  void aPlainRuntimeExceptionFromGenerateIsWrappedToo() {
    Script script = new Script("a");
    script.failAfter = 0;
    IllegalStateException bug = new IllegalStateException("engine bug");
    script.failure = bug;
    TextGenerator gen = generator(FakeTextEngine.scripted(script));
    assertThatThrownBy(() -> gen.generate(TextRequest.of("x")))
        .isExactlyInstanceOf(Muse4jException.class)
        .hasCause(bug);
  }

  static ScriptedRun awaitRun(FakeTextEngine engine, int i) {
    CoreFakes.awaitTrue(() -> engine.runs.size() > i, "run " + i + " to start");
    return engine.run(i);
  }
}
