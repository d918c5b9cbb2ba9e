package dev.muse4j.internal;

import static dev.muse4j.internal.CoreFakes.WAIT_S;
import static dev.muse4j.internal.CoreFakes.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.muse4j.FinishReason;
import dev.muse4j.ImageGenerator;
import dev.muse4j.ImageRequest;
import dev.muse4j.ImageResult;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.MusicGenerator;
import dev.muse4j.MusicRequest;
import dev.muse4j.StyleRequest;
import dev.muse4j.StyleTransfer;
import dev.muse4j.TextGenerator;
import dev.muse4j.TextRequest;
import dev.muse4j.TextResult;
import dev.muse4j.internal.CoreFakes.FakeImageEngine;
import dev.muse4j.internal.CoreFakes.FakeMusicEngine;
import dev.muse4j.internal.CoreFakes.FakeStyleEngine;
import dev.muse4j.internal.CoreFakes.FakeTextEngine;
import dev.muse4j.internal.CoreFakes.Script;
import dev.muse4j.internal.CoreFakes.ScriptedRun;
import dev.muse4j.internal.CoreFakes.Stepper;
import dev.muse4j.spi.EngineSet;
import dev.muse4j.spi.Limits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Async work runs on the backend's executor, and cancelling the future cancels the work. */
class CoreAsyncTest {
  private final FakeTextEngine text = new FakeTextEngine("async", " text");
  private final FakeImageEngine image = new FakeImageEngine(5);
  private final FakeStyleEngine style = new FakeStyleEngine(5);
  private final FakeMusicEngine music = new FakeMusicEngine(5);
  private final EngineSet engines = EngineSet.builder()
      .text((m, o) -> text)
      .image((m, o) -> image)
      .style((m, o) -> style)
      .music((m, o) -> music)
      .build();
  private CoreBackend backend;
  private ExecutorService userPool;

  @AfterEach
  void cleanUp() {
    if (backend != null) {
      backend.close();
    }
    if (userPool != null) {
      userPool.shutdownNow();
    }
  }

  /** An executor that counts what it is given and runs it on one user thread. */
  private static final class CountingExecutor implements Executor {
    final AtomicInteger executed = new AtomicInteger();
    final ExecutorService delegate = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "user-worker");
      t.setDaemon(true);
      return t;
    });

    @Override
    public void execute(Runnable command) {
      executed.incrementAndGet();
      delegate.execute(command);
    }
  }

  @Test
  void asyncWorkRunsOnTheConfiguredExecutor() throws Exception {
    CountingExecutor executor = new CountingExecutor();
    userPool = executor.delegate;
    backend = CoreFakes.backend(engines, CoreFakes.config().withExecutor(executor));

    backend.image("m").generateAsync(ImageRequest.of("x")).get(WAIT_S, TimeUnit.SECONDS);
    backend.style("m").transferAsync(StyleRequest.of(CoreFakes.picture(8, 8))).get(WAIT_S, TimeUnit.SECONDS);
    backend.music("m").generateAsync(MusicRequest.of("x", Duration.ofSeconds(1))).get(WAIT_S, TimeUnit.SECONDS);
    TextResult result = backend.text("m").generateAsync(TextRequest.of("x")).get(WAIT_S, TimeUnit.SECONDS);

    assertThat(result.text()).isEqualTo("async text");
    assertThat(executor.executed).hasValue(4);
    assertThat(image.stepper.threads).containsExactly("user-worker");
    assertThat(style.stepper.threads).containsExactly("user-worker");
    assertThat(music.stepper.threads).containsExactly("user-worker");
  }

  @Test
  void withoutAnExecutorAsyncWorkRunsOnTheBackendsOwnDaemonThreads() throws Exception {
    backend = CoreFakes.backend(engines);
    List<Thread> threads = new CopyOnWriteArrayList<>();

    ImageResult result = backend.image("m")
        .generateAsync(ImageRequest.builder("x").progressListener(p -> threads.add(Thread.currentThread())).build())
        .get(WAIT_S, TimeUnit.SECONDS);

    assertThat(result.images()).hasSize(1);
    assertThat(threads).isNotEmpty();
    Thread worker = threads.get(0);
    assertThat(worker.isDaemon()).isTrue();
    assertThat(worker.getName()).matches("muse4j-fake-async-\\d+");
    assertThat(worker).isNotSameAs(Thread.currentThread());
  }

  @Test
  void cancellingAnImageFutureStopsTheJobBetweenSteps() {
    assertCancelStopsBetweenSteps(image.stepper, () -> backend.image("m").generateAsync(ImageRequest.of("x")));
  }

  @Test
  void cancellingAStyleFutureStopsTheJobBetweenSteps() {
    assertCancelStopsBetweenSteps(style.stepper,
        () -> backend.style("m").transferAsync(StyleRequest.of(CoreFakes.picture(8, 8))));
  }

  @Test
  void cancellingAMusicFutureStopsTheJobBetweenSteps() {
    assertCancelStopsBetweenSteps(music.stepper,
        () -> backend.music("m").generateAsync(MusicRequest.of("x", Duration.ofSeconds(1))));
  }

  private void assertCancelStopsBetweenSteps(Stepper stepper,
      java.util.function.Supplier<CompletableFuture<?>> start) {
    backend = CoreFakes.backend(engines);
    stepper.pauseBefore = 3;
    stepper.resumeOnCancel = true;

    CompletableFuture<?> future = start.get();
    await(stepper.paused, "the job to reach step 3");
    assertThat(future.cancel(true)).isTrue();
    await(stepper.returned, "the job to stop");

    assertThat(future).isCancelled();
    assertThat(stepper.sawCancel).isTrue();
    assertThat(stepper.lastStep.get()).isEqualTo(2).isLessThan(stepper.steps);
  }

  @Test
  void cancellingATextFutureCancelsTheRun() {
    Script script = new Script("some");
    script.blockUntilCancelledAfter = 1;
    FakeTextEngine engine = FakeTextEngine.scripted(script);
    backend = CoreFakes.backend(CoreFakes.textOnly(engine));
    TextGenerator gen = backend.text("m");

    CompletableFuture<TextResult> future = gen.generateAsync(TextRequest.of("x"));
    ScriptedRun run = CoreStreamTest.awaitRun(engine, 0);
    await(run.blocked, "the run to block");
    assertThat(future.cancel(true)).isTrue();

    assertThat(run.job.cancellation().isCancelled()).isTrue();
    CoreFakes.awaitTrue(() -> run.closes.get() == 1, "the run to be closed");
    assertThat(future).isCancelled();
    assertThat(run.events).containsSubsequence("next returned after cancel", "run closed");
  }

  @Test
  void cancellingACompletedFutureIsAHarmlessNoOp() throws Exception {
    backend = CoreFakes.backend(engines);
    ImageGenerator img = backend.image("m");
    CompletableFuture<ImageResult> done = img.generateAsync(ImageRequest.of("x"));
    ImageResult result = done.get(WAIT_S, TimeUnit.SECONDS);

    assertThat(done.cancel(true)).isFalse();

    assertThat(done).isCompleted().isNotCancelled();
    assertThat(done.get()).isSameAs(result);
    assertThat(image.stepper.jobs.get(0).cancellation().isCancelled()).isFalse();

    CompletableFuture<TextResult> text = backend.text("m").generateAsync(TextRequest.of("x"));
    TextResult textResult = text.get(WAIT_S, TimeUnit.SECONDS);
    assertThat(text.cancel(true)).isFalse();
    assertThat(text.get().text()).isEqualTo(textResult.text()).isEqualTo("async text");
    assertThat(textResult.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void anInvalidRequestFailsTheFutureWithoutTouchingTheExecutor() {
    CountingExecutor executor = new CountingExecutor();
    userPool = executor.delegate;
    image.limits = Limits.builder().maxSteps(4).build();
    backend = CoreFakes.backend(engines, CoreFakes.config().withExecutor(executor));

    CompletableFuture<ImageResult> img = backend.image("m").generateAsync(ImageRequest.builder("x").steps(5).build());
    CompletableFuture<TextResult> txt = backend.text("m").generateAsync(null);
    MusicGenerator mus = backend.music("m");
    StyleTransfer sty = backend.style("m");

    assertThat(img).isCompletedExceptionally();
    assertThat(img).failsWithin(Duration.ofSeconds(WAIT_S)).withThrowableOfType(Exception.class)
        .withCauseInstanceOf(InvalidRequestException.class);
    assertThat(txt).failsWithin(Duration.ofSeconds(WAIT_S)).withThrowableOfType(Exception.class)
        .withCauseInstanceOf(InvalidRequestException.class);
    assertThat(mus.generateAsync(null)).isCompletedExceptionally();
    assertThat(sty.transferAsync(null)).isCompletedExceptionally();
    assertThat(executor.executed).hasValue(0);
    assertThat(image.stepper.calls).hasValue(0);
  }

  @Test
  void closingTheBackendShutsDownItsOwnPoolButNeverTheUsersExecutor() throws Exception {
    userPool = Executors.newSingleThreadExecutor();
    backend = CoreFakes.backend(engines, CoreFakes.config().withExecutor(userPool));
    backend.image("m").generateAsync(ImageRequest.of("x")).get(WAIT_S, TimeUnit.SECONDS);

    backend.close();

    assertThat(userPool.isShutdown()).isFalse();
    assertThat(userPool.submit(() -> 42).get(WAIT_S, TimeUnit.SECONDS)).isEqualTo(42);
  }

  @Test
  void closingTheBackendEndsItsOwnAsyncThreads() throws Exception {
    backend = CoreFakes.backend(engines);
    List<Thread> threads = new CopyOnWriteArrayList<>();
    backend.image("m").generateAsync(ImageRequest.builder("x")
        .progressListener(p -> threads.add(Thread.currentThread())).build()).get(WAIT_S, TimeUnit.SECONDS);
    Thread worker = threads.get(0);
    assertThat(worker.isAlive()).isTrue();

    backend.close();

    worker.join(TimeUnit.SECONDS.toMillis(WAIT_S));
    assertThat(worker.isAlive()).as("the backend's own pool is shut down").isFalse();
  }
}
