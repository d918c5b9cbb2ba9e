package dev.muse4j.internal;

import static dev.muse4j.internal.CoreFakes.WAIT_S;
import static dev.muse4j.internal.CoreFakes.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.GenerationCancelledException;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.TextChunk;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextStream;
import dev.muse4j.internal.CoreFakes.FakeImageEngine;
import dev.muse4j.internal.CoreFakes.FakeTextEngine;
import dev.muse4j.internal.CoreFakes.Script;
import dev.muse4j.internal.CoreFakes.ScriptedRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing a generator waits for the work in flight to return before it frees the engine. */
class CoreCloseWaitsTest {
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private CoreBackend backend;

  @AfterEach
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  private static Thread start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits until {@code t} blocks (it waits for the work) or ends (it did not wait, which the test then reveals). */
  private static void awaitBlockedOrDone(Thread t) {
    CoreFakes.awaitTrue(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING
        || t.getState() == Thread.State.TERMINATED, t.getName() + " to block or end");
  }

  @Test
  void closingWaitsForAJobMidStepBeforeClosingTheEngine() throws Exception {
    FakeImageEngine engine = new FakeImageEngine(3, events);
    engine.stepper.pauseBefore = 2;
    backend = CoreFakes.backend(CoreFakes.imageOnly(engine));
    ImageGenerator gen = backend.image("m");
    CompletableFuture<ImageResult> future = gen.generateAsync(ImageRequest.of("x"));
    await(engine.stepper.paused, "the job to pause mid-way");

    Thread closer = start("closer", gen::close);
    CoreFakes.awaitTrue(() -> engine.stepper.jobs.get(0).cancellation().isCancelled(), "close to cancel the job");
    awaitBlockedOrDone(closer);
    events.add("test releases the job");
    engine.stepper.resume.countDown();
    closer.join(WAIT_S * 1000);

    assertThat(closer.isAlive()).isFalse();
    assertThat(events).containsExactly("test releases the job", "job resumed", "job returned", "engine closed");
    assertThat(future).failsWithin(Duration.ofSeconds(WAIT_S))
        .withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(GenerationCancelledException.class).withMessageContaining("closed");
    assertThat(engine.stepper.lastStep).hasValue(1);
  }

  @Test
  void closingFromAProgressListenerDoesNotDeadlock() throws Exception {
    FakeImageEngine engine = new FakeImageEngine(3, events);
    backend = CoreFakes.backend(CoreFakes.imageOnly(engine));
    ImageGenerator gen = backend.image("m");
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);

    start("caller", () -> {
      try {
        gen.generate(ImageRequest.builder("x").progressListener(p -> {
          if (p.step() == 1) {
            gen.close();
          }
        }).build());
      } catch (Throwable t) {
        outcome.set(t);
      } finally {
        done.countDown();
      }
    });

    await(done, "generate to return instead of deadlocking");
    assertThat(outcome.get()).isInstanceOf(GenerationCancelledException.class)
        .hasMessageContaining("closed");
    assertThat(engine.stepper.lastStep).hasValue(1);
    assertThat(engine.stepper.closes).hasValue(1);
  }

  @Test
  void closingFromAProgressListenerClosesTheEngineOnlyAfterTheJobReturned() {
    FakeImageEngine engine = new FakeImageEngine(3, events);
    backend = CoreFakes.backend(CoreFakes.imageOnly(engine));
    ImageGenerator gen = backend.image("m");
    try {
      gen.generate(ImageRequest.builder("x").progressListener(p -> {
        if (p.step() == 1) {
          gen.close();
        }
      }).build());
    } catch (GenerationCancelledException expected) {
      // the job stops at its next step
    }
    assertThat(events).containsSubsequence("job returned", "engine closed");
  }

  /** Builds a backend whose listener closes the text generator at its first output, on the generating thread. */
  private TextGenerator textClosedAtFirstOutput(FakeTextEngine engine) {
    AtomicReference<TextGenerator> self = new AtomicReference<>();
    backend = CoreFakes.backend(CoreFakes.textOnly(engine), CoreFakes.config().withListener(
        new dev.muse4j.GenerationListener() {
          @Override
          public void onFirstOutput(dev.muse4j.GenerationEvent event) {
            self.get().close();
          }
        }));
    self.set(backend.text("m"));
    return self.get();
  }

  @Test
  void closingATextGeneratorFromItsListenerDoesNotDeadlock() {
    FakeTextEngine engine = new FakeTextEngine(events, i -> new Script("a", "b", "c"));
    TextGenerator gen = textClosedAtFirstOutput(engine);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);

    start("caller", () -> {
      try {
        gen.generate(TextRequest.of("x"));
      } catch (Throwable t) {
        outcome.set(t);
      } finally {
        done.countDown();
      }
    });

    await(done, "generate to return instead of deadlocking");
    assertThat(outcome.get()).isInstanceOf(GenerationCancelledException.class).hasMessageContaining("closed");
    assertThat(engine.run(0).closes).hasValue(1);
    assertThat(engine.closes).hasValue(1);
  }

  @Test
  void closingATextGeneratorFromItsListenerClosesTheRunBeforeTheEngine() {
    FakeTextEngine engine = new FakeTextEngine(events, i -> new Script("a", "b", "c"));
    TextGenerator gen = textClosedAtFirstOutput(engine);
    try {
      gen.generate(TextRequest.of("x"));
    } catch (GenerationCancelledException expected) {
      // the generation stops after its first piece
    }
    assertThat(events).containsSubsequence("run closed", "engine closed");
  }

  @Test
  void closingWaitsForAStreamsNextToReturnBeforeClosingTheRun() throws Exception {
    Script script = new Script("early");
    script.blockOnLatchAfter = 1;
    FakeTextEngine engine = new FakeTextEngine(events, i -> script);
    backend = CoreFakes.backend(CoreFakes.textOnly(engine));
    TextGenerator gen = backend.text("m");
    TextStream stream = gen.stream(TextRequest.of("x"));
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Throwable> consumerError = new AtomicReference<>();
    Thread consumer = start("consumer", () -> {
      try {
        for (TextChunk c : stream) {
          seen.add(c.text());
        }
      } catch (Throwable t) {
        consumerError.set(t);
      }
    });
    ScriptedRun run = CoreStreamTest.awaitRun(engine, 0);
    await(run.blocked, "the consumer to block in next()");

    Thread closer = start("closer", gen::close);
    CoreFakes.awaitTrue(() -> run.job.cancellation().isCancelled(), "close to cancel the run");
    awaitBlockedOrDone(closer);
    events.add("test releases next()");
    run.release.countDown();
    closer.join(WAIT_S * 1000);
    consumer.join(WAIT_S * 1000);

    assertThat(closer.isAlive()).isFalse();
    assertThat(consumer.isAlive()).isFalse();
    assertThat(consumerError.get()).isNull();
    assertThat(events).containsExactly("test releases next()", "next returned after release", "run closed",
        "engine closed");
    assertThat(run.closes).hasValue(1);
    assertThat(run.overlapped).isFalse();
    assertThat(run.nextAfterClose).isFalse();
    assertThat(seen).startsWith("early");
    assertThat(stream.isDone()).isTrue();
  }
}
